import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.ts';
import { DuckSession, literal } from '../src/duck/index.ts';
import { generateLanding } from '../src/generate/index.ts';
import { orchestratorOptions, runPipeline } from '../src/home/index.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

const BIN = new URL('../bin/shoplake.cjs', import.meta.url).pathname;
const shoplake = (args: string[], cwd: string) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

const STORE_ORDERS = `SELECT s.store_id, count(DISTINCT f.order_id) AS orders, sum(f.net_amount) AS revenue
FROM fact_orders f JOIN dim_store s USING (store_key)
GROUP BY s.store_id`;

test('project models: read built-in gold and each other, replace a built-in, tested and published', async () => {
  const project = await tempDir('project-models');
  const landing = join(project, 'landing');
  await generateLanding({ out: landing, scale: 0.005, seed: 11, drops: 1 });
  await mkdir(join(project, 'models', 'marts'), { recursive: true });
  await writeFile(join(project, 'shoplake.yaml'), 'models:\n  paths: [models]\n');
  await writeFile(join(project, 'models', 'store_orders.sql'), STORE_ORDERS);
  await writeFile(
    join(project, 'models', 'store_orders.yaml'),
    [
      'description: Orders and revenue per store.',
      'grain: one row per store',
      'key: [store_id]',
      'tests:',
      '  - { kind: unique, columns: [store_id] }',
      '  - { kind: not_null, column: store_id }',
      '  - { kind: expression, name: some_orders, sql: "SELECT * FROM store_orders WHERE orders < 1" }',
      '',
    ].join('\n'),
  );
  // A step of the project's own, not published, read by a published one.
  await writeFile(join(project, 'models', 'marts', 'busy_stores.sql'), 'SELECT * FROM store_orders WHERE orders > 0');
  await writeFile(join(project, 'models', 'marts', 'busy_stores.yaml'), 'publish: false\n');
  await writeFile(
    join(project, 'models', 'marts', 'store_ranking.sql'),
    'SELECT store_id, rank() OVER (ORDER BY revenue DESC) AS rank FROM busy_stores',
  );
  // Replaces the built-in mart of the same name.
  await writeFile(
    join(project, 'models', 'marts', 'mart_day_of_week.sql'),
    'SELECT day_name, count(*) AS lines FROM int_revenue_lines GROUP BY day_name',
  );

  const config = await loadConfig({ cwd: project });
  assert.deepEqual(config.models.paths, [join(project, 'models')]);
  const summary = await runPipeline(orchestratorOptions(config, 'run'));
  assert.equal(summary.status, 'success', JSON.stringify(summary.error));
  const built = new Map(summary.models.map((m) => [m.model, m.status]));
  for (const m of ['store_orders', 'busy_stores', 'store_ranking', 'mart_day_of_week'])
    assert.equal(built.get(m), 'success');
  assert.equal(summary.tests.failures.length, 0);

  let rows: number;
  const db = await DuckSession.open(':memory:');
  try {
    await db.run(`ATTACH ${literal(new LakeLayout(config.home).warehouseDb)} AS wh (READ_ONLY)`);
    await db.run('USE wh');
    // The published model holds what the same query over the published gold gives.
    const diff = await db.all(`(SELECT * FROM store_orders EXCEPT ALL (${STORE_ORDERS}))
      UNION ALL ((${STORE_ORDERS}) EXCEPT ALL SELECT * FROM store_orders)`);
    assert.deepEqual(diff, []);
    rows = Number(await db.scalar('SELECT count(*) FROM store_orders'));
    assert.ok(rows > 0);
    assert.equal(
      Number(await db.scalar('SELECT count(*) FROM store_ranking')),
      Number(await db.scalar('SELECT count(*) FROM store_orders WHERE orders > 0')),
    );
    const tables = (
      await db.all<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_catalog = 'wh'")
    ).map((r) => r.t);
    assert.ok(!tables.includes('busy_stores'), 'a model with publish: false stays out of the warehouse');
    const columns = (await db.all<{ c: string }>('SELECT column_name AS c FROM (DESCRIBE mart_day_of_week)')).map(
      (r) => r.c,
    );
    assert.deepEqual(columns, ['day_name', 'lines']);
  } finally {
    await db.close();
  }

  // A blocking test of a project model that fails fails the run, naming the model and test.
  const yaml = join(project, 'models', 'store_orders.yaml');
  await writeFile(yaml, 'tests:\n  - { kind: expression, name: no_orders, sql: "SELECT * FROM store_orders" }\n');
  await writeFile(
    join(project, 'models', 'marts', 'busy_stores.yaml'),
    'publish: false\nkey: [store_id]\n' + 'tests: [{ kind: unique, columns: [store_id] }]\n',
  );
  // `shoplake test` runs the tests as declared now against the last build's tables, without building.
  const tested = shoplake(['test', '--json', '--select', 'store_orders', 'busy_stores'], project);
  assert.equal(tested.status, 1, tested.stderr);
  assert.deepEqual(JSON.parse(tested.stdout), [
    {
      model: 'store_orders',
      status: 'tested',
      results: [{ model: 'store_orders', test: 'no_orders', severity: 'error', status: 'fail', failures: rows }],
    },
    {
      model: 'busy_stores',
      status: 'skipped',
      reason: 'a step between layers, not kept after a build: its tests run with each build',
    },
  ]);
  const failed = await runPipeline({ ...orchestratorOptions(config, 'run'), fullRefresh: true });
  assert.equal(failed.status, 'failed');
  assert.deepEqual(
    failed.tests.failures.map((f) => `${f.model}.${f.test}`),
    ['store_orders.no_orders'],
  );
});

test('shoplake models: the graph with the project’s own, dependencies read from the SQL, --select', async () => {
  const project = await tempDir('project-graph');
  await mkdir(join(project, 'models'));
  await writeFile(join(project, 'shoplake.yaml'), 'models:\n  paths: [models]\n');
  await writeFile(join(project, 'models', 'store_orders.sql'), STORE_ORDERS);
  const r = shoplake(['models', '--json', '--select', 'dim_store+'], project);
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Array<{ model: string; origin: string; dependsOn: string[] }>;
  assert.deepEqual(
    rows.map((m) => m.model).sort(),
    [
      'dim_store',
      'fact_orders',
      'int_revenue_lines',
      'mart_category_sales',
      'mart_customer_ltv',
      'mart_daily_revenue',
      'mart_day_of_week',
      'mart_monthly_revenue',
      'mart_product_sales',
      'mart_store_sales',
      'mart_weekend_vs_weekday',
      'store_orders',
    ].sort(),
  );
  assert.deepEqual(
    rows.find((m) => m.model === 'store_orders'),
    {
      ...rows.find((m) => m.model === 'store_orders'),
      origin: 'project',
      dependsOn: ['dim_store', 'fact_orders'],
    },
  );
});

test('shoplake init writes a project that runs at once, and refuses a folder that is one', async () => {
  const dir = join(await tempDir('project-init'), 'my-shop');
  const init = shoplake(['init', dir, '--scale', '0.005', '--json'], tmpdir());
  assert.equal(init.status, 0, init.stderr);
  assert.ok((JSON.parse(init.stdout) as { files: number }).files > 0);
  const run = shoplake(['run', '--json'], dir);
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout) as { status: string; published: Array<{ table: string; rows: number }> };
  assert.equal(summary.status, 'success');
  assert.ok((summary.published.find((p) => p.table === 'store_orders')?.rows ?? 0) > 0);
  const again = shoplake(['init', dir], tmpdir());
  assert.equal(again.status, 2);
  assert.match(again.stderr, /error \[project_exists\]/);
});
