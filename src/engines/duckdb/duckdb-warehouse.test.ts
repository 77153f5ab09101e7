import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckSession } from '../../duck/index.ts';
import { DuckdbWarehouse } from './duckdb-warehouse.ts';

test('a reader of the old warehouse keeps a whole old state while a new one is published', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wh-'));
  const wh = new DuckdbWarehouse(join(dir, 'warehouse.duckdb'));
  const build = await DuckSession.open(':memory:');
  await build.run('CREATE TABLE t AS SELECT range AS id FROM range(1000)');
  await build.run('CREATE TABLE u AS SELECT 1 AS version');
  await wh.publish({ build, tables: ['t', 'u'], runId: 'r1', publishedAt: new Date().toISOString() });

  const reader = await (await DuckDBInstance.create(wh.path, { access_mode: 'READ_ONLY' })).connect();
  const read = async () =>
    (
      await reader.runAndReadAll('SELECT (SELECT count(*) FROM t) AS n, (SELECT version FROM u) AS v')
    ).getRowObjectsJson()[0];

  await build.run('CREATE OR REPLACE TABLE t AS SELECT range AS id FROM range(2000)');
  await build.run('CREATE OR REPLACE TABLE u AS SELECT 2 AS version');
  const result = await wh.publish({ build, tables: ['t', 'u'], runId: 'r2', publishedAt: new Date().toISOString() });
  assert.deepEqual(result.tables, [
    { table: 't', rows: 2000 },
    { table: 'u', rows: 1 },
  ]);
  assert.deepEqual(await read(), { n: '1000', v: 1 }, 'the open reader still sees the whole old warehouse');
  reader.closeSync();

  const fresh = await DuckSession.open(wh.path, { readOnly: true });
  assert.deepEqual(
    await fresh.one(
      `SELECT (SELECT count(*) FROM t)::INTEGER AS n,
       (SELECT version FROM u) AS v, (SELECT run_id FROM _publish_info) AS run`,
    ),
    { n: 2000, v: 2, run: 'r2' },
  );
  await fresh.close();
  await build.close();
});

test('a publish that fails leaves the last good warehouse', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wh-'));
  const wh = new DuckdbWarehouse(join(dir, 'warehouse.duckdb'));
  const build = await DuckSession.open(':memory:');
  await build.run('CREATE TABLE t AS SELECT 1 AS id');
  await wh.publish({ build, tables: ['t'], runId: 'r1', publishedAt: new Date().toISOString() });
  await assert.rejects(
    wh.publish({ build, tables: ['t', 'missing'], runId: 'r2', publishedAt: new Date().toISOString() }),
  );
  await build.close();
  const db = await DuckSession.open(':memory:');
  await db.run(`ATTACH '${wh.path}' AS w (READ_ONLY)`);
  assert.equal(await db.scalar('SELECT run_id FROM w._publish_info'), 'r1');
  await db.close();
});
