import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckSession } from '../duck/index.ts';
import { buildModels } from './build-models.ts';
import type { Model } from './model-declaration.ts';

const model = (m: Partial<Model> & Pick<Model, 'name' | 'sql'>): Model => ({
  layer: 'gold', description: '', dependsOn: [], grain: '', key: [], sqlPath: `${m.name}.sql`, ...m,
});

test('a failing blocking test fails its model and skips what depends on it; warnings do not', async () => {
  const db = await DuckSession.open(':memory:');
  try {
    const results = await buildModels(db, [
      model({ name: 'a', sql: 'SELECT * FROM (VALUES (1), (1), (2)) t(id)', tests: [
        { kind: 'unique', columns: ['id'] },
      ] }),
      model({ name: 'b', sql: 'SELECT * FROM a', dependsOn: ['a'] }),
      model({ name: 'c', sql: 'SELECT 1 AS x', tests: [{ kind: 'accepted_values', column: 'x', values: ['2'], severity: 'warn' }] }),
    ]);
    assert.deepEqual(results.map((r) => [r.model, r.status]), [['a', 'failed'], ['b', 'skipped'], ['c', 'success']]);
    assert.match(results[0]!.error!, /unique\(id\) \(1 rows\)/);
    assert.match(results[1]!.error!, /upstream model "a" failed/);
    assert.equal(results[2]!.tests[0]!.status, 'fail');
  } finally {
    db.close();
  }
});

test('every data test kind counts its failing rows', async () => {
  const db = await DuckSession.open(':memory:');
  try {
    const [dim, fact] = await buildModels(db, [
      model({ name: 'dim', sql: 'SELECT * FROM (VALUES (-1), (1), (2)) t(k)' }),
      model({ name: 'fact', dependsOn: ['dim'], sql: "SELECT * FROM (VALUES (1, 'a'), (3, 'b'), (NULL, 'z')) t(k, v)", tests: [
        { kind: 'not_null', column: 'k', severity: 'warn' },
        { kind: 'relationship', column: 'k', to: 'dim', field: 'k', severity: 'warn' },
        { kind: 'accepted_values', column: 'v', values: ['a', 'b'], severity: 'warn' },
        { kind: 'expression', name: 'no_b', sql: "SELECT * FROM fact WHERE v = 'b'", severity: 'warn' },
      ] }),
    ]);
    assert.equal(dim!.status, 'success');
    assert.deepEqual(fact!.tests.map((t) => [t.test, t.failures]), [
      ['not_null(k)', 1], ['relationship(k -> dim.k)', 1], ['accepted_values(v)', 1], ['no_b', 1],
    ]);
  } finally {
    db.close();
  }
});

test('an intermediate model is dropped once everything that reads it is built', async () => {
  const db = await DuckSession.open(':memory:');
  try {
    await buildModels(db, [
      model({ name: 'stg', intermediate: true, sql: 'SELECT 1 AS x' }),
      model({ name: 'out1', dependsOn: ['stg'], sql: 'SELECT * FROM stg' }),
      model({ name: 'out2', dependsOn: ['stg'], sql: 'SELECT * FROM stg' }),
    ]);
    const tables = (await db.all<{ table_name: string }>('SELECT table_name FROM duckdb_tables() ORDER BY 1')).map((t) => t.table_name);
    assert.deepEqual(tables, ['out1', 'out2']);
  } finally {
    db.close();
  }
});
