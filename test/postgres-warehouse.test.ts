import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pg from 'pg';
import { DuckSession, ident, literal } from '../src/duck/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { runPipeline } from '../src/orchestrate/index.ts';
import { loadModels } from '../src/transform/index.ts';
import { PostgresWarehouse } from '../src/warehouse/index.ts';
import { postgresGoldDiff } from './helpers/postgres-gold-diff.ts';
import { dropSchema, POSTGRES_URL, postgresAvailable } from './helpers/postgres.ts';
import { tempDir } from './helpers/temp-dir.ts';

test('PostgreSQL warehouse: the daily run publishes every gold table by COPY, identical to the embedded warehouse, with keys, indexes and statistics', async (t) => {
  if (!(await postgresAvailable(t))) return;
  const schema = `gold_t${process.pid}`;
  const root = await tempDir('pg-wh');
  const landing = join(root, 'landing');
  const home = join(root, 'home');
  await generateLanding({ out: landing, scale: 0.005, seed: 51, drops: 1 });
  try {
    const run = await runPipeline({ home, landing, postgresWarehouse: { url: POSTGRES_URL, schema } });
    assert.equal(run.status, 'success', JSON.stringify(run.error));
    assert.deepEqual(await postgresGoldDiff(new LakeLayout(home).warehouseDb, POSTGRES_URL, schema), []);

    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const keys = (await client.query<{ t: string; cols: string }>(
        `SELECT tc.table_name AS t, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position) AS cols
         FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name)
         WHERE tc.table_schema = $1 AND tc.constraint_type = 'PRIMARY KEY' GROUP BY 1`, [schema])).rows;
      const byTable = Object.fromEntries(keys.map((k) => [k.t, k.cols]));
      const models = (await loadModels()).filter((m) => m.publish);
      for (const m of models) assert.equal(byTable[m.name], m.key.join(','), `${m.name} has its declared key`);
      const indexed = (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = $1 AND tablename = 'fact_orders' AND indexdef NOT LIKE '%pkey%'", [schema])).rows[0]!.n;
      assert.ok(indexed >= 3, `fact_orders has indexes on its foreign keys (${indexed})`);
      const analyzed = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_user_tables WHERE schemaname = $1 AND last_analyze IS NULL', [schema])).rows[0]!.n;
      assert.equal(analyzed, 0, 'every table was analyzed');
      const info = (await client.query(`SELECT run_id FROM ${ident(schema)}._publish_info`)).rows[0] as { run_id: string };
      assert.equal(info.run_id, run.runId);
      assert.equal((await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [`${schema}__staging`])).rowCount, 0, 'no staging schema is left');
    } finally {
      await client.end();
    }
  } finally {
    await dropSchema(schema);
  }
});

test('PostgreSQL warehouse: a connection killed mid-load is retried, and readers see the whole old gold until the swap', async (t) => {
  if (!(await postgresAvailable(t))) return;
  const schema = `gold_k${process.pid}`;
  const root = await tempDir('pg-kill');
  const landing = join(root, 'landing');
  const home = join(root, 'home');
  await generateLanding({ out: landing, scale: 0.005, seed: 52, drops: 1 });
  assert.equal((await runPipeline({ home, landing })).status, 'success');
  const layout = new LakeLayout(home);
  const build = await DuckSession.open(':memory:');
  await build.run(`ATTACH ${literal(layout.warehouseDb)} AS wh (READ_ONLY)`);
  const tables = (await build.all<{ t: string }>("SELECT table_name AS t FROM duckdb_tables() WHERE database_name = 'wh' AND table_name <> '_publish_info' ORDER BY 1")).map((r) => r.t);
  // A big fact table, so that a COPY is running long enough to be killed.
  for (const tb of tables) await build.run(`CREATE TABLE ${ident(tb)} AS SELECT * FROM wh.main.${ident(tb)}`);
  const wh = new PostgresWarehouse({ url: POSTGRES_URL, schema, scratchDir: join(root, 'scratch') });
  const watcher = new pg.Client({ connectionString: POSTGRES_URL });
  await watcher.connect();
  try {
    await wh.publish({ build, tables, runId: 'r1', publishedAt: new Date().toISOString() });
    await build.run('CREATE OR REPLACE TABLE fact_events AS SELECT * FROM fact_events, range(20)');
    await build.run("UPDATE fact_events SET event_id = event_id || '-' || range");
    await build.run('ALTER TABLE fact_events DROP COLUMN range');
    let killed = 0;
    let seenTables = new Set<number>();
    let done = false;
    const publishing = wh.publish({ build, tables, runId: 'r2', publishedAt: new Date().toISOString() }).finally(() => (done = true));
    while (!done) {
      const r = await watcher.query<{ n: number }>('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1', [schema]);
      seenTables.add(r.rows[0]!.n);
      if (!killed) {
        killed = (await watcher.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'COPY %__staging%fact_events%' AND pid <> pg_backend_pid()")).rowCount ?? 0;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const result = await publishing;
    assert.ok(killed >= 1, 'a COPY was killed mid-load');
    assert.equal(result.tables.find((x) => x.table === 'fact_events')?.rows, Number(await build.scalar('SELECT count(*) FROM fact_events')), 'the retried load holds every row once');
    seenTables = new Set([...seenTables].filter((n) => n !== tables.length + 1));
    assert.deepEqual([...seenTables], [], 'readers only ever saw the whole schema');
    assert.equal((await watcher.query(`SELECT run_id FROM ${ident(schema)}._publish_info`)).rows[0]?.run_id, 'r2');
  } finally {
    await watcher.end();
    await build.close();
    await dropSchema(schema);
  }
});
