/**
 * Publishing gold to PostgreSQL: the gold tables of a scale's pipeline bench run (run it
 * first: `npm run bench -- --scale 1`) are published to a fresh schema, whole (every table
 * new), then again with nothing changed, then with one day of fact_orders changed. Prints
 * rows/s per table and each publish's time beside the gold build's. Asserts nothing.
 *
 *   npm run bench:postgres -- --scale 1 [--url postgres://postgres@127.0.0.1:5432/postgres] [--connections 2]
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { formatTable } from '../src/cli/output.ts';
import { DuckSession, ident, literal } from '../src/duck/index.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { loadModels } from '../src/transform/index.ts';
import { PostgresWarehouse } from '../src/engines/postgres/index.ts';
import { type PublishResult } from '../src/warehouse/index.ts';
import { postgresServerCpu } from './process-cpu.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    connections: { type: 'string', default: '2' },
    dir: { type: 'string', default: '.bench' },
    url: {
      type: 'string',
      default: process.env['SHOPLAKE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
});
const home = join(values.dir, `home-s${values.scale}`);
const layout = new LakeLayout(home);
const schema = 'gold_bench';
const models = (await loadModels()).filter((m) => m.publish);
const shapes = Object.fromEntries(
  models.map((m) => [
    m.name,
    {
      key: m.key,
      indexes: (m.tests ?? []).flatMap((t) => (t.kind === 'relationship' ? [t.column] : [])),
      ...(m.partitionBy ? { partitionBy: m.partitionBy.column } : {}),
    },
  ]),
);

const build = await DuckSession.open(':memory:', { memoryLimit: '1200MB' });
await build.run(`ATTACH ${literal(layout.warehouseDb)} AS wh (READ_ONLY)`);
for (const m of models) await build.run(`CREATE TABLE ${ident(m.name)} AS SELECT * FROM wh.main.${ident(m.name)}`);
const state = await DuckSession.open(layout.stateDb, { readOnly: true });
const transform = await state.one<{ ms: number }>(
  `SELECT sum(duration_ms)::INTEGER AS ms FROM task_instances
   WHERE task_group = 'gold' AND run_id = (SELECT max(run_id) FROM task_instances)`,
);
await state.close();

const client = new pg.Client({ connectionString: values.url });
await client.connect();
await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
const wh = new PostgresWarehouse({
  url: values.url,
  schema,
  scratchDir: join(home, 'tmp', 'pg-bench'),
  connections: Number(values.connections),
});

async function timed(label: string): Promise<PublishResult> {
  const perTable: Array<Record<string, unknown>> = [];
  const serverCpu = postgresServerCpu();
  const ownCpu = process.cpuUsage();
  const t0 = performance.now();
  const result = await wh.publish({
    build,
    tables: models.map((m) => m.name),
    shapes,
    runId: label,
    publishedAt: new Date().toISOString(),
    onTable: (table, rows, ms) => {
      perTable.push({
        table,
        rows,
        'staged at s': +((performance.now() - t0) / 1000).toFixed(2),
        seconds: +(ms / 1000).toFixed(2),
        'rows/s': Math.round(rows / Math.max(ms / 1000, 1e-3)),
      });
    },
  });
  const ms = performance.now() - t0;
  for (const row of perTable) {
    const load = result.tables.find((x) => x.table === row['table'])?.load;
    const parts = load?.partitions;
    row['load'] = load
      ? `${load.kind}${parts ? ` ${parts.replaced}/${parts.replaced + parts.unchanged} days` : ''}`
      : '';
    row['shipped'] = load?.shipped ?? 0;
  }
  const visible = result.visibleMs ?? ms;
  console.log(
    `\n${label}: visible to readers at ${(visible / 1000).toFixed(1)} s, foreign-key indexes ` +
      `built at ${(ms / 1000).toFixed(1)} s (tables staged side by side, each in 'seconds' ` +
      'from its plan to its key; then the apply transaction, ANALYZE and the indexes)',
  );
  console.log(formatTable(perTable));
  const server = postgresServerCpu() - serverCpu;
  const own = process.cpuUsage(ownCpu);
  const duck = (own.user + own.system) / 1e6;
  const cores = availableParallelism();
  if (!Number.isNaN(server)) {
    console.log(
      `CPU: PostgreSQL ${server.toFixed(1)} s, this process (DuckDB's export, ` +
        `the COPY streams) ${duck.toFixed(1)} s: on ${cores} cores no schedule ` +
        `of this work ends before ${((server + duck) / cores).toFixed(1)} s`,
    );
  }
  return result;
}
try {
  console.log(
    `gold of ${home}: built in ${((transform?.ms ?? 0) / 1000).toFixed(1)} s (the gold models' tasks of its last run)`,
  );
  await timed('first publish (every table whole)');
  await timed('second publish (nothing changed)');
  const day = await build.scalar<number>('SELECT max(date_key) FROM fact_orders');
  await build.run("UPDATE fact_orders SET status = 'delivered' WHERE date_key = $day", { day });
  await timed(`third publish (fact_orders of ${day} changed)`);
} finally {
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  await build.close();
}
