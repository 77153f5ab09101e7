import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckSession } from '../duck/index.ts';
import { compileTest } from './data-test-sql.ts';

test('unique counts the keys that repeat: one or several columns, NULL as a key, none when all differ', async () => {
  const db = await DuckSession.open(':memory:');
  try {
    await db.run(`CREATE TABLE t AS SELECT * FROM (VALUES
      ('a', 1), ('a', 1), ('a', 2), ('b', 1), (NULL, 1), (NULL, 1), ('c', NULL), ('c', NULL), ('c', NULL)) v(k, n)`);
    await db.run('CREATE TABLE u AS SELECT range::VARCHAR AS k FROM range(100000)');
    const failures = async (table: string, columns: string[]) =>
      Number(await db.scalar(compileTest(table, { kind: 'unique', columns }).sql));
    assert.equal(await failures('t', ['k']), 3, 'a, NULL and c repeat');
    assert.equal(await failures('t', ['k', 'n']), 3, '(a,1), (NULL,1) and (c,NULL) repeat');
    assert.equal(await failures('u', ['k']), 0);
  } finally {
    await db.close();
  }
});
