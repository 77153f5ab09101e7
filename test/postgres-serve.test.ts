import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigSchema } from '../src/config/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { runPipeline } from '../src/home/index.ts';
import { startServer } from '../src/serve/index.ts';
import { dropSchema, POSTGRES_URL, postgresAvailable } from './helpers/postgres.ts';
import { tempDir } from './helpers/temp-dir.ts';

const BIN = new URL('../bin/shoplake.cjs', import.meta.url).pathname;

/** What the web app reads from a server on `home` whose readers use `warehouse`. */
async function readThroughServer(home: string, landing: string, warehouse: Record<string, unknown>) {
  const server = await startServer({
    config: ConfigSchema.parse({
      home,
      landing,
      warehouse,
      server: { port: 0 },
      orchestrator: { dailySchedule: '', watchLanding: false },
    }),
  });
  try {
    const get = async (path: string) => {
      const r = await fetch(`${server.url}${path}`);
      assert.equal(r.status, 200, `${path}: ${await r.clone().text()}`);
      return r.json() as Promise<Record<string, unknown>>;
    };
    const options = await get('/api/dashboard/options');
    const from = String(options['minDate']);
    const to = String(options['maxDate']);
    const store = (options['stores'] as Array<{ id: string }>)[0]!.id;
    const models = (await get('/api/models'))['tables'] as Array<{ name: string; columns: Array<{ name: string }> }>;
    const query = async (sql: string) => {
      const r = await fetch(`${server.url}/api/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sql, maxRows: 5 }),
      });
      return {
        status: r.status,
        body: (await r.json()) as { rows?: unknown[]; truncated?: boolean; error?: { code: string } },
      };
    };
    return {
      options,
      all: await get(`/api/dashboard?from=${from}&to=${to}`),
      oneStore: await get(`/api/dashboard?from=${from}&to=${to}&store=${encodeURIComponent(store)}`),
      columns: Object.fromEntries(
        models.filter((m) => m.columns.length).map((m) => [m.name, m.columns.map((c) => c.name)]),
      ),
      console: {
        read: await query('SELECT store_id, store_name FROM dim_store ORDER BY store_id'),
        write: await query('DELETE FROM dim_store'),
        sneakyWrite: await query('WITH gone AS (DELETE FROM dim_store RETURNING *) SELECT * FROM gone'),
        count: await query('SELECT count(*)::INTEGER AS n FROM dim_store'),
      },
    };
  } finally {
    await server.close();
  }
}

test(
  'web app and shoplake query on the PostgreSQL warehouse: every ' +
    'dashboard figure equals the embedded one; the console only reads',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const schema = `gold_r${process.pid}`;
    const root = await tempDir('pg-serve');
    const landing = join(root, 'landing');
    const home = join(root, 'home');
    await generateLanding({ out: landing, scale: 0.003, seed: 61, drops: 1 });
    try {
      const run = await runPipeline({ home, landing, postgresWarehouse: { url: POSTGRES_URL, schema } });
      assert.equal(run.status, 'success', JSON.stringify(run.error));
      const embedded = await readThroughServer(home, landing, { url: POSTGRES_URL, schema, read: 'embedded' });
      const postgres = await readThroughServer(home, landing, { url: POSTGRES_URL, schema });

      assert.deepEqual(postgres.options, embedded.options, 'filter options, date range, publish stamp and quality');
      assert.deepEqual(postgres.all, embedded.all, 'every KPI, chart and table of the dashboard, whole range');
      assert.deepEqual(postgres.oneStore, embedded.oneStore, 'the same, filtered to one store');
      assert.ok(Number((postgres.all['kpis'] as { revenue: { value: number } }).revenue.value) > 0);
      assert.deepEqual(postgres.columns, embedded.columns, 'the data model page lists the same columns');

      const c = postgres.console;
      assert.equal(c.read.status, 200);
      assert.equal(c.read.body.rows?.length, 5);
      assert.equal(c.read.body.truncated, true);
      assert.equal(c.write.body.error?.code, 'query_refused');
      assert.equal(
        c.sneakyWrite.body.error?.code,
        'query_refused',
        'a write hidden in a WITH is refused by the read-only transaction',
      );
      assert.deepEqual(c.count.body.rows, embedded.console.count.body.rows, 'nothing was deleted');

      // The CLI reads the same warehouse, from the config.
      const config = join(root, 'shoplake.config.json');
      await writeFile(config, JSON.stringify({ home, landing, warehouse: { url: POSTGRES_URL, schema } }));
      const cli = spawnSync(
        process.execPath,
        [
          BIN,
          'query',
          '--config',
          config,
          '--json',
          'SELECT count(*)::INTEGER AS n, sum(net_amount)::DOUBLE PRECISION AS total FROM fact_orders',
        ],
        { encoding: 'utf8' },
      );
      assert.equal(cli.status, 0, cli.stderr);
      const embeddedCli = spawnSync(
        process.execPath,
        [
          BIN,
          'query',
          '--home',
          home,
          '--json',
          'SELECT count(*)::INTEGER AS n, sum(net_amount)::DOUBLE PRECISION AS total FROM fact_orders',
        ],
        { encoding: 'utf8' },
      );
      assert.equal(embeddedCli.status, 0, embeddedCli.stderr);
      assert.deepEqual(JSON.parse(cli.stdout), JSON.parse(embeddedCli.stdout));
      const refused = spawnSync(process.execPath, [BIN, 'query', '--config', config, 'DROP TABLE fact_orders'], {
        encoding: 'utf8',
      });
      assert.notEqual(refused.status, 0);
      assert.match(refused.stderr, /query_refused/);
    } finally {
      await dropSchema(schema);
    }
  },
);
