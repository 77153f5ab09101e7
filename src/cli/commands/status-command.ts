import type { Command } from 'commander';
import { readdir } from 'node:fs/promises';
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
      const layers = await layerCounts(layout);
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

/** Rows in each bronze entity, silver table and gold table, read from Parquet metadata. */
async function layerCounts(layout: LakeLayout): Promise<Array<{ layer: string; table: string; rows: number }>> {
  const db = await DuckSession.open(':memory:');
  const out: Array<{ layer: string; table: string; rows: number }> = [];
  try {
    const count = async (glob: string) => Number(await db.scalar(`SELECT coalesce(sum(num_rows), 0) FROM (SELECT DISTINCT file_name, row_group_id, row_group_num_rows AS num_rows FROM parquet_metadata(${literal(glob)}))`));
    const list = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).filter((f) => !f.startsWith('.')).sort();
    for (const entity of await list(join(layout.lake, 'bronze'))) {
      out.push({ layer: 'bronze', table: entity, rows: await count(join(layout.lake, 'bronze', entity, '*.parquet')) });
    }
    for (const zone of ['silver', 'gold'] as const) {
      for (const f of (await list(layout.zone(zone))).filter((f) => f.endsWith('.parquet'))) {
        out.push({ layer: zone, table: f.replace(/\.parquet$/, ''), rows: await count(join(layout.zone(zone), f)) });
      }
    }
    const bronzeRejects = join(layout.lake, 'quarantine', 'rows', 'bronze');
    if ((await list(bronzeRejects)).length) out.push({ layer: 'quarantine', table: 'rows rejected parsing files', rows: await count(join(bronzeRejects, '*.parquet')) });
    if ((await list(join(layout.lake, 'quarantine', 'rows'))).includes('silver.parquet')) {
      out.push({ layer: 'quarantine', table: 'rows rejected by silver checks', rows: await count(layout.silverRejects) });
    }
  } finally {
    db.close();
  }
  return out;
}
