import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckSession, ident } from '../duck/index.ts';
import { buildModel, ModelReaders } from './build-models.ts';
import type { Model } from './model-declaration.ts';

const model = (m: Partial<Model> & Pick<Model, 'name' | 'sql'>): Model => ({
  layer: 'gold',
  description: '',
  dependsOn: [],
  bronzeInputs: [],
  origin: 'builtin',
  grain: '',
  key: [],
  sqlPath: `${m.name}.sql`,
  ...m,
});

// What runs downstream of a failed model is the executor's business (dag-executor.test.ts:
// upstream_failed); here, one model and its tests.
test('a failing blocking test fails its model, naming the test; a failing warning does not', async () => {
  const db = await DuckSession.open(':memory:');
  try {
    const a = await buildModel(
      db,
      model({
        name: 'a',
        sql: 'SELECT * FROM (VALUES (1), (1), (2)) t(id)',
        tests: [{ kind: 'unique', columns: ['id'] }],
      }),
    );
    const c = await buildModel(
      db,
      model({
        name: 'c',
        sql: 'SELECT 1 AS x',
        tests: [{ kind: 'accepted_values', column: 'x', values: ['2'], severity: 'warn' }],
      }),
    );
    assert.deepEqual(
      [a, c].map((r) => [r.model, r.status]),
      [
        ['a', 'failed'],
        ['c', 'success'],
      ],
    );
    assert.match(a.error!, /unique\(id\) \(1 rows\)/);
    assert.equal(c.tests[0]!.status, 'fail');
    const broken = await buildModel(db, model({ name: 'broken', sql: 'SELECT * FROM nowhere' }));
    assert.equal(broken.status, 'failed');
    assert.match(broken.error!, /nowhere.*\(in broken\.sql\)/);
  } finally {
    await db.close();
  }
});

test('every data test kind counts its failing rows', async () => {
  const db = await DuckSession.open(':memory:');
  try {
    const dim = await buildModel(db, model({ name: 'dim', sql: 'SELECT * FROM (VALUES (-1), (1), (2)) t(k)' }));
    const fact = await buildModel(
      db,
      model({
        name: 'fact',
        dependsOn: ['dim'],
        sql: "SELECT * FROM (VALUES (1, 'a'), (3, 'b'), (NULL, 'z')) t(k, v)",
        tests: [
          { kind: 'not_null', column: 'k', severity: 'warn' },
          { kind: 'relationship', column: 'k', to: 'dim', field: 'k', severity: 'warn' },
          { kind: 'accepted_values', column: 'v', values: ['a', 'b'], severity: 'warn' },
          { kind: 'expression', name: 'no_b', sql: "SELECT * FROM fact WHERE v = 'b'", severity: 'warn' },
        ],
      }),
    );
    assert.equal(dim.status, 'success');
    assert.deepEqual(
      fact.tests.map((t) => [t.test, t.failures]),
      [
        ['not_null(k)', 1],
        ['relationship(k -> dim.k)', 1],
        ['accepted_values(v)', 1],
        ['no_b', 1],
      ],
    );
  } finally {
    await db.close();
  }
});

test('an intermediate model is dropped once everything that reads it is built', async () => {
  const db = await DuckSession.open(':memory:');
  try {
    const models = [
      model({ name: 'stg', intermediate: true, sql: 'SELECT 1 AS x' }),
      model({ name: 'out1', dependsOn: ['stg'], sql: 'SELECT * FROM stg' }),
      model({ name: 'out2', dependsOn: ['stg'], sql: 'SELECT * FROM stg' }),
    ];
    const readers = new ModelReaders(models);
    const freed: string[][] = [];
    for (const m of models) {
      await buildModel(db, m);
      const free = readers.finished(m);
      freed.push(free);
      for (const t of free) await db.run(`DROP TABLE ${ident(t)}`);
    }
    assert.deepEqual(freed, [[], [], ['stg']]);
    const tables = (await db.all<{ table_name: string }>('SELECT table_name FROM duckdb_tables() ORDER BY 1')).map(
      (t) => t.table_name,
    );
    assert.deepEqual(tables, ['out1', 'out2']);
  } finally {
    await db.close();
  }
});
