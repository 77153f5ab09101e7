import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { ident } from '../src/duck/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { runPipeline } from '../src/home/index.ts';
import { loadModels } from '../src/transform/index.ts';
import { PostgresWarehouse } from '../src/engines/postgres/index.ts';
import { missingIndexes } from '../src/engines/postgres/postgres-indexes.ts';
import { postgresGoldDiff } from './helpers/postgres-gold-diff.ts';
import { dropSchema, POSTGRES_URL, postgresAvailable } from './helpers/postgres.ts';
import { goldBuild } from './helpers/gold-build.ts';
import { tempDir } from './helpers/temp-dir.ts';

test(
  'PostgreSQL warehouse: the daily run publishes every gold table by COPY, identical to the embedded warehouse, ' +
    'with keys, indexes and statistics; the next drop ships only changed partitions and merges the rest',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const schema = `gold_t${process.pid}`;
    const root = await tempDir('pg-wh');
    const landing = join(root, 'landing');
    const home = join(root, 'home');
    await generateLanding({ out: landing, scale: 0.005, seed: 51, drops: 2, only: 1 });
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const postgresWarehouse = { url: POSTGRES_URL, schema };
      const run = await runPipeline({ home, landing, postgresWarehouse });
      assert.equal(run.status, 'success', JSON.stringify(run.error));
      assert.deepEqual(await postgresGoldDiff(new LakeLayout(home).warehouseDb, POSTGRES_URL, schema), []);

      const keys = (
        await client.query<{ t: string; cols: string }>(
          `SELECT tc.table_name AS t, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position) AS cols
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name)
       WHERE tc.table_schema = $1 AND tc.constraint_type = 'PRIMARY KEY' GROUP BY 1`,
          [schema],
        )
      ).rows;
      const byTable = Object.fromEntries(keys.map((k) => [k.t, k.cols]));
      const models = (await loadModels()).filter((m) => m.publish);
      for (const m of models) assert.equal(byTable[m.name], m.key.join(','), `${m.name} has its declared key`);
      const indexed = (
        await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_indexes
           WHERE schemaname = $1 AND tablename = 'fact_orders' AND indexdef NOT LIKE '%pkey%'`,
          [schema],
        )
      ).rows[0]!.n;
      assert.ok(indexed >= 3, `fact_orders has indexes on its foreign keys (${indexed})`);
      // As if the first publish had died between its commit and its last index build.
      await client.query(`DROP INDEX ${ident(schema)}.fact_orders_store_key_idx`);
      const analyzed = (
        await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_user_tables WHERE schemaname = $1 AND last_analyze IS NULL',
          [schema],
        )
      ).rows[0]!.n;
      assert.equal(analyzed, 0, 'every table was analyzed');
      const info = (await client.query(`SELECT run_id FROM ${ident(schema)}._publish_info`)).rows[0] as {
        run_id: string;
      };
      assert.equal(info.run_id, run.runId);
      assert.equal(
        (await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [`${schema}__staging`]))
          .rowCount,
        0,
        'no staging schema is left',
      );

      // Drop 2: new orders all over the year, status updates, new SCD2 customer versions.
      const g = ident(schema);
      const count = async (sql: string) => (await client.query<{ n: number }>(sql)).rows[0]!.n;
      const dimBefore = await count(`SELECT count(*)::int AS n FROM ${g}.dim_customer`);
      await generateLanding({ out: landing, scale: 0.005, seed: 51, drops: 2, only: 2 });
      const second = await runPipeline({ home, landing, postgresWarehouse });
      assert.equal(second.status, 'success', JSON.stringify(second.error));
      assert.deepEqual(
        await postgresGoldDiff(new LakeLayout(home).warehouseDb, POSTGRES_URL, schema),
        [],
        'incremental PostgreSQL gold = embedded gold',
      );
      const dimAfter = await count(`SELECT count(*)::int AS n FROM ${g}.dim_customer`);
      assert.ok(
        dimAfter > dimBefore,
        `dim_customer gained the new SCD2 versions by merge (${dimBefore} -> ${dimAfter})`,
      );
      assert.equal(
        (
          await client.query(
            "SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND tablename = 'dim_customer' AND indexdef LIKE '%pkey%'",
            [schema],
          )
        ).rowCount,
        1,
        'the merged dimension kept its key',
      );
      assert.equal(
        (
          await client.query(
            "SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = 'fact_orders_store_key_idx'",
            [schema],
          )
        ).rowCount,
        1,
        'the next publish built the index the first left out',
      );
      assert.equal(
        await count(`SELECT count(DISTINCT table_name)::int AS n FROM ${g}._partitions`),
        models.filter((m) => m.partitionBy).length,
        'fingerprints are recorded for every partitioned table',
      );

      // Three orders shipped: only their days' fact rows may be rewritten. xmin, the row
      // version, tells which rows PostgreSQL wrote.
      const versions = async () =>
        new Map(
          (
            await client.query<{ d: number; v: string }>(
              `SELECT date_key AS d, string_agg(xmin::text, ',' ORDER BY order_id, line_number) AS v
               FROM ${g}.fact_orders GROUP BY 1`,
            )
          ).rows.map((r) => [r.d, r.v]),
        );
      const before = await versions();
      const shipped = (
        await client.query<{
          order_id: string;
          customer_id: string;
          store_id: string;
          order_ts: string;
          payment_method: string;
          date_key: number;
        }>(
          `SELECT DISTINCT ON (f.date_key) f.order_id, c.customer_id, s.store_id,
       to_char(f.order_ts, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS order_ts, f.payment_method, f.date_key
       FROM ${g}.fact_orders f JOIN ${g}.dim_customer c USING (customer_key) JOIN ${g}.dim_store s USING (store_key)
       WHERE f.status = 'placed' AND f.customer_key > 0 AND f.store_key > 0 ORDER BY f.date_key, f.order_id LIMIT 3`,
        )
      ).rows;
      assert.equal(shipped.length, 3);
      await writeFile(
        join(landing, 'orders', 'shipped-today.csv'),
        [
          'order_id,customer_id,store_id,order_ts,status,payment_method,updated_at',
          ...shipped.map((o) =>
            [
              o.order_id,
              o.customer_id,
              o.store_id,
              o.order_ts,
              'shipped',
              o.payment_method,
              '2099-01-01T00:00:00Z',
            ].join(','),
          ),
        ].join('\n') + '\n',
      );
      const third = await runPipeline({ home, landing, postgresWarehouse });
      assert.equal(third.status, 'success', JSON.stringify(third.error));
      assert.deepEqual(
        await postgresGoldDiff(new LakeLayout(home).warehouseDb, POSTGRES_URL, schema),
        [],
        'PostgreSQL gold = embedded gold after the update',
      );
      const after = await versions();
      const rewritten = [...after]
        .filter(([d, v]) => before.get(d) !== v)
        .map(([d]) => d)
        .sort();
      assert.deepEqual(rewritten, shipped.map((o) => o.date_key).sort(), "only the three orders' days were rewritten");
      const nowShipped = (
        await client.query(
          `SELECT DISTINCT order_id FROM ${g}.fact_orders WHERE order_id = ANY($1) AND status = 'shipped'`,
          [shipped.map((o) => o.order_id)],
        )
      ).rowCount;
      assert.equal(nowShipped, 3, 'the three orders are shipped in PostgreSQL');
    } finally {
      await client.end();
      await dropSchema(schema);
    }
  },
);

test(
  'PostgreSQL warehouse: a connection killed mid-load is ' +
    'retried, and readers see the whole old gold until the commit',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    // A big fact table (below), so that a COPY is running long enough to be killed.
    const { schema, build, tables, shapes, wh, watcher, close } = await publishFixture('k', 52);
    const factEvents = `SELECT count(*)::int AS n FROM ${ident(schema)}.fact_events`;
    try {
      await wh.publish({ build, tables, shapes, runId: 'r1', publishedAt: new Date().toISOString() });
      const oldRows = (await watcher.query<{ n: number }>(factEvents)).rows[0]!.n;
      await build.run('CREATE OR REPLACE TABLE fact_events AS SELECT * FROM fact_events, range(20)');
      await build.run("UPDATE fact_events SET event_id = event_id || '-' || range");
      await build.run('ALTER TABLE fact_events DROP COLUMN range');
      let killed = 0;
      let seenTables = new Set<number>();
      const seenRows = new Set<number>();
      let done = false;
      const publishing = wh
        .publish({ build, tables, shapes, runId: 'r2', publishedAt: new Date().toISOString() })
        .finally(() => (done = true));
      while (!done) {
        const r = await watcher.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1',
          [schema],
        );
        seenTables.add(r.rows[0]!.n);
        seenRows.add((await watcher.query<{ n: number }>(factEvents)).rows[0]!.n);
        if (!killed) {
          killed =
            (
              await watcher.query(
                `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE query LIKE 'COPY %__staging%fact_events%' AND pid <> pg_backend_pid()`,
              )
            ).rowCount ?? 0;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const result = await publishing;
      assert.ok(killed >= 1, 'a COPY was killed mid-load');
      assert.equal(
        result.tables.find((x) => x.table === 'fact_events')?.rows,
        Number(await build.scalar('SELECT count(*) FROM fact_events')),
        'the retried load holds every row once',
      );
      // The published tables plus _publish_info and _partitions, at every moment.
      seenTables = new Set([...seenTables].filter((n) => n !== tables.length + 2));
      assert.deepEqual([...seenTables], [], 'readers only ever saw the whole schema');
      const newRows = (await watcher.query<{ n: number }>(factEvents)).rows[0]!.n;
      assert.equal(newRows, oldRows * 20);
      assert.deepEqual(
        [...seenRows].filter((n) => n !== oldRows && n !== newRows),
        [],
        `fact_events was only ever seen whole: ${[...seenRows].join(', ')}`,
      );
      const load = result.tables.find((x) => x.table === 'fact_events')?.load;
      assert.equal(load?.kind, 'partitions', 'fact_events was replaced partition by partition');
      assert.equal((await watcher.query(`SELECT run_id FROM ${ident(schema)}._publish_info`)).rows[0]?.run_id, 'r2');
    } finally {
      await close();
    }
  },
);

test(
  'PostgreSQL warehouse: a duplicate or missing key is refused ' +
    'as such, at once, and the published gold stays as it was',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const { schema, build, tables, shapes, wh, watcher, close } = await publishFixture('d', 53);
    const customers = `SELECT count(*)::int AS n FROM ${ident(schema)}.dim_customer`;
    try {
      await wh.publish({ build, tables, shapes, runId: 'r1', publishedAt: new Date().toISOString() });
      const before = (await watcher.query<{ n: number }>(customers)).rows[0]!.n;
      // A whole load (the fact table's key), a merge (a dimension's) and a null key (a mart's).
      await watcher.query(`DROP TABLE ${ident(schema)}.fact_events`);
      for (const [sql, table] of [
        ['INSERT INTO fact_events SELECT * FROM fact_events LIMIT 1', 'fact_events'],
        ['INSERT INTO dim_customer SELECT * FROM dim_customer LIMIT 1', 'dim_customer'],
        ['UPDATE mart_product_sales SET product_id = NULL WHERE rowid = 0', 'mart_product_sales'],
      ] as const) {
        await build.run('BEGIN');
        await build.run(sql);
        const t0 = Date.now();
        await assert.rejects(
          wh.publish({ build, tables, shapes, runId: 'r2', publishedAt: new Date().toISOString() }),
          (err: Error & { code?: string; subject?: string }) => {
            assert.equal(err.code, 'warehouse_key_violated', err.message);
            assert.equal(err.subject, table);
            return true;
          },
        );
        assert.ok(Date.now() - t0 < 10_000, 'refused at once, not retried as a lost connection');
        await build.run('ROLLBACK');
        assert.equal(
          (await watcher.query<{ n: number }>(customers)).rows[0]!.n,
          before,
          `${table}: the published dimension is unchanged`,
        );
      }
    } finally {
      await close();
    }
  },
);

test(
  'PostgreSQL warehouse: an index that will not build fails the publish ' +
    'as such, with gold already visible, and the next publish builds it',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const { schema, build, tables, shapes, wh, watcher, close } = await publishFixture('i', 54);
    const indexed = async () =>
      (
        await watcher.query<{ indexname: string }>(
          "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'fact_orders' ORDER BY 1",
          [schema],
        )
      ).rows.map((r) => r.indexname);
    try {
      // A column the table has not: PostgreSQL refuses its index (not a lost connection, so no retry).
      const withBadIndex = {
        ...shapes,
        fact_orders: { ...shapes['fact_orders']!, indexes: ['no_such_column', 'store_key'] },
      };
      await assert.rejects(
        wh.publish({ build, tables, shapes: withBadIndex, runId: 'r1', publishedAt: new Date().toISOString() }),
        (err: Error & { code?: string; subject?: string }) => {
          assert.equal(err.code, 'warehouse_index_failed', err.message);
          assert.match(err.message, /is published/);
          assert.equal(err.subject, 'fact_orders.no_such_column, fact_orders.store_key');
          return true;
        },
      );
      assert.equal(
        (await watcher.query(`SELECT run_id FROM ${ident(schema)}._publish_info`)).rows[0]?.run_id,
        'r1',
        'gold was visible before the indexes',
      );
      assert.deepEqual(
        await indexed(),
        ['fact_orders_pkey', 'fact_orders_store_key_idx'],
        'the index that could be built was',
      );

      const declared = { ...shapes, fact_orders: { ...shapes['fact_orders']!, indexes: ['store_key', 'product_key'] } };
      const result = await wh.publish({
        build,
        tables,
        shapes: declared,
        runId: 'r2',
        publishedAt: new Date().toISOString(),
      });
      assert.equal(result.tables.find((x) => x.table === 'fact_orders')?.load?.shipped, 0, 'nothing was shipped again');
      assert.ok(result.visibleMs !== undefined && result.visibleMs <= result.ms);
      assert.deepEqual(
        await indexed(),
        ['fact_orders_pkey', 'fact_orders_product_key_idx', 'fact_orders_store_key_idx'],
        'the next publish built the declared index still missing',
      );
      const missing = await missingIndexes(watcher, schema, [
        { table: 'fact_orders', column: 'store_key' },
        { table: 'fact_orders', column: 'date_key' },
        { table: 'no_such_table', column: 'x' },
      ]);
      assert.deepEqual(
        missing,
        [{ table: 'fact_orders', column: 'date_key' }],
        'only the index that is not there is missing (a table that is not there has none missing)',
      );
    } finally {
      await close();
    }
  },
);

/**
 * A small run's gold to publish (goldBuild) into schema `gold_<tag><pid>`,
 * with a warehouse for it and a reader's connection; `close` drops the schema.
 */
async function publishFixture(tag: string, seed: number) {
  const schema = `gold_${tag}${process.pid}`;
  const root = await tempDir(`pg-${tag}`);
  const { build, tables, shapes } = await goldBuild(root, seed);
  const wh = new PostgresWarehouse({ url: POSTGRES_URL, schema, scratchDir: join(root, 'scratch') });
  const watcher = new pg.Client({ connectionString: POSTGRES_URL });
  await watcher.connect();
  const close = async () => {
    await watcher.end();
    await build.close();
    await dropSchema(schema);
  };
  return { schema, build, tables, shapes, wh, watcher, close };
}
