import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckSession, literal } from '../duck/index.ts';
import { pathExists, type LakeLayout } from '../lake/index.ts';
import type { StateDb } from '../state/index.ts';
import { RunSummaries, type RunSummaryRow } from '../pipeline/index.ts';
import { filesByStatus } from '../ledger/index.ts';

export interface HomeStatus {
  home: string;
  runs: Array<Record<string, unknown>>;
  files: Array<{ status: string; entity: string; files: number; rows: number; rejected: number }>;
  layers: Array<{ layer: string; table: string; rows: number }>;
}

/** Last pipeline runs, landing files by status and entity, and rows per layer. */
export async function homeStatus(state: StateDb, layout: LakeLayout, lastRuns: number): Promise<HomeStatus> {
  const recent = await new RunSummaries(state).recent(lastRuns);
  const runs = recent.map(runLine);
  const files = await filesByStatus(state);
  // Bronze is counted from the ledger; silver and gold from their Parquet metadata.
  const ingested = files.filter((f) => f.status === 'ingested');
  const layers = [
    ...ingested.map((f) => ({ layer: 'bronze', table: f.entity, rows: f.rows })),
    ...(await zoneCounts(layout)),
  ];
  const malformed = ingested.reduce((n, f) => n + f.rejected, 0);
  if (malformed) layers.push({ layer: 'quarantine', table: 'rows rejected parsing files', rows: malformed });
  return { home: layout.home, runs, files, layers };
}

/** One run as `status` lists it; its figures come out of the stored summary. */
function runLine(r: RunSummaryRow): Record<string, unknown> {
  const utc = (t: string) => Date.parse(`${t.replace(' ', 'T')}Z`);
  const files = (r.summary ? (JSON.parse(r.summary) as { files?: Record<string, unknown> }).files : undefined) ?? {};
  const figure = (k: string) => (files[k] === undefined || files[k] === null ? null : String(files[k]));
  return {
    run_id: r.run_id,
    status: r.status,
    mode: r.mode,
    started_at: r.started_at,
    ms: r.finished_at ? utc(r.finished_at) - utc(r.started_at) : null,
    ingested: figure('ingested'),
    quarantined: figure('quarantined'),
    duplicates: figure('duplicates'),
    error: r.error ? ((JSON.parse(r.error) as { message?: string }).message ?? null) : null,
  };
}

/** Rows in each silver and gold table, and the silver rejects, from Parquet metadata. */
async function zoneCounts(layout: LakeLayout): Promise<Array<{ layer: string; table: string; rows: number }>> {
  const db = await DuckSession.open(':memory:');
  const out: Array<{ layer: string; table: string; rows: number }> = [];
  try {
    const count = async (path: string) =>
      Number(await db.scalar(`SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata(${literal(path)})`));
    for (const zone of ['silver', 'gold'] as const) {
      const tables = (await readdir(layout.zone(zone)).catch(() => [] as string[]))
        .filter((f) => f.endsWith('.parquet'))
        .sort();
      for (const f of tables)
        out.push({ layer: zone, table: f.replace(/\.parquet$/, ''), rows: await count(join(layout.zone(zone), f)) });
    }
    if (await pathExists(layout.silverRejects)) {
      out.push({
        layer: 'quarantine',
        table: 'rows rejected by silver checks',
        rows: await count(layout.silverRejects),
      });
    }
  } finally {
    await db.close();
  }
  return out;
}
