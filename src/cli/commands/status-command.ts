import type { Command } from 'commander';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckSession, literal } from '../../duck/index.ts';
import { LakeLayout } from '../../lake/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { openForReading } from '../open-home.ts';
import { humanMs, printJson, printTable } from '../output.ts';

export function registerStatus(program: Command): void {
  withCommonOptions(
    program.command('status').description('last runs, files ingested/skipped/quarantined, and row counts per layer').option('--runs <n>', 'how many runs to list', (v) => Number(v), 10),
  ).action(async (opts: CommonOptions & { runs: number }) => {
    const config = await configFor(opts);
    const state = await openForReading(config.home, 'state');
    const layout = new LakeLayout(config.home);
    try {
      const runs = await state.all(
        `SELECT run_id, status, mode, started_at::VARCHAR AS started_at, date_diff('millisecond', started_at, finished_at) AS ms,
                summary->>'$.files.ingested' AS ingested, summary->>'$.files.quarantined' AS quarantined,
                summary->>'$.files.duplicates' AS duplicates, error->>'$.message' AS error
         FROM runs ORDER BY started_at DESC LIMIT $n`,
        { n: opts.runs },
      );
      const files = await state.all<{ status: string; entity: string; files: number; rows: number; rejected: number }>(
        `SELECT status, coalesce(entity, '-') AS entity, count(*)::INTEGER AS files, coalesce(sum(rows_ok), 0)::BIGINT AS rows, coalesce(sum(rows_rejected), 0)::BIGINT AS rejected
         FROM ingested_files GROUP BY ALL ORDER BY status, entity`,
      );
      // Bronze is counted from the ledger; silver and gold from their Parquet metadata.
      const ingested = files.filter((f) => f.status === 'ingested');
      const layers = [
        ...ingested.map((f) => ({ layer: 'bronze', table: f.entity, rows: Number(f.rows) })),
        ...(await zoneCounts(layout)),
      ];
      const malformed = ingested.reduce((n, f) => n + Number(f.rejected), 0);
      if (malformed) layers.push({ layer: 'quarantine', table: 'rows rejected parsing files', rows: malformed });
      const result = { home: config.home, runs, files, layers };
      if (opts.json) return printJson(result);
      process.stdout.write(`home: ${config.home}\n\nlast runs:\n`);
      printTable(runs.map((r) => ({ ...r, ms: r['ms'] === null ? '' : humanMs(Number(r['ms'])) })));
      process.stdout.write('\nlanding files by status and entity:\n');
      printTable(files.map((f) => ({ ...f, rows: Number(f.rows), rejected: Number(f.rejected) })));
      process.stdout.write('\nrows per layer:\n');
      printTable(layers);
    } finally {
      state.close();
    }
  });
}

/** Rows in each silver and gold table, and the silver rejects, from Parquet metadata. */
async function zoneCounts(layout: LakeLayout): Promise<Array<{ layer: string; table: string; rows: number }>> {
  const db = await DuckSession.open(':memory:');
  const out: Array<{ layer: string; table: string; rows: number }> = [];
  try {
    const count = async (path: string) => Number(await db.scalar(`SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata(${literal(path)})`));
    for (const zone of ['silver', 'gold'] as const) {
      const tables = (await readdir(layout.zone(zone)).catch(() => [] as string[])).filter((f) => f.endsWith('.parquet')).sort();
      for (const f of tables) out.push({ layer: zone, table: f.replace(/\.parquet$/, ''), rows: await count(join(layout.zone(zone), f)) });
    }
    if (await access(layout.silverRejects).then(() => true, () => false)) {
      out.push({ layer: 'quarantine', table: 'rows rejected by silver checks', rows: await count(layout.silverRejects) });
    }
  } finally {
    db.close();
  }
  return out;
}
