/**
 * An example of a DAG of your own, started by a data-aware trigger: whenever the daily
 * run publishes `mart_daily_revenue`, it writes the mart as CSV for a finance share or a
 * spreadsheet. Enable it with `dags: [examples/dags/revenue-export.ts]` in the config.
 * In your own project, import from 'shoplake' instead of the source path.
 */
import { join } from 'node:path';
import { defineDag, DuckSession, literal, retryPolicy, writeAtomically, type DagFileContext } from '../../src/index.ts';

export default (home: DagFileContext) =>
  defineDag({
    name: 'revenue_export',
    description: 'mart_daily_revenue as CSV in <home>/exports after every refresh',
    consumes: ['gold.mart_daily_revenue'],
    retry: retryPolicy({ maxAttempts: 3, initialDelayMs: 2_000 }),
    tasks: [
      {
        name: 'export_csv',
        dependsOn: [],
        async run(ctx) {
          const target = join(home.home, 'exports', 'daily_revenue.csv');
          const db = await DuckSession.open(':memory:');
          try {
            await db.run(`ATTACH ${literal(home.warehouseDb)} AS wh (READ_ONLY)`);
            const rows = Number(await db.scalar('SELECT count(*) FROM wh.mart_daily_revenue'));
            await writeAtomically(target, (tmp) =>
              db.run(
                `COPY (SELECT * FROM wh.mart_daily_revenue ORDER BY date) TO ${literal(tmp)} (FORMAT csv, HEADER)`,
              ),
            );
            ctx.log(
              `${rows} days written to ${target} (after ${String(ctx.conf['upstreamRun'] ?? 'a manual trigger')})`,
            );
            return { output: { rows, file: target } };
          } finally {
            await db.close();
          }
        },
      },
    ],
  });
