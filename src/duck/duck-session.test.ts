import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckSession } from './duck-session.ts';

test('a statement from another caller waits for an open transaction instead of landing in it', async () => {
  const db = await DuckSession.open(':memory:');
  try {
    await db.run('CREATE TABLE t (v INTEGER)');
    const failing = db.transaction(async () => {
      await db.run('INSERT INTO t VALUES (1)');
      await new Promise((r) => setTimeout(r, 50));
      await db.run('INSERT INTO t VALUES (2)');
      throw new Error('rolled back');
    });
    // Issued while the transaction is open: without the wait it would be rolled back with it.
    await new Promise((r) => setTimeout(r, 10));
    const outside = db.run('INSERT INTO t VALUES (3)');
    await assert.rejects(failing, /rolled back/);
    await outside;
    assert.deepEqual(await db.all('SELECT v FROM t ORDER BY v'), [{ v: 3 }]);
    // A transaction begun inside another joins it.
    await db.transaction(async () => {
      await db.run('INSERT INTO t VALUES (4)');
      await db.transaction(() => db.run('INSERT INTO t VALUES (5)'));
    });
    assert.deepEqual(await db.all('SELECT v FROM t ORDER BY v'), [{ v: 3 }, { v: 4 }, { v: 5 }]);
  } finally {
    await db.close();
  }
});

test(
  'close waits for the statement running on the connection, then refuses new ones',
  { timeout: 30_000 },
  async () => {
    const db = await DuckSession.open(':memory:');
    // Long enough to be running when close() is called (about 0.2-1 s).
    const running = db.scalar<number>('SELECT count(*) FROM range(200000000) t(i) WHERE i % 7 = 0');
    await new Promise((r) => setTimeout(r, 20));
    // Closing under the statement deadlocked DuckDB's worker: `running` never settled.
    await db.close();
    assert.equal(Number(await running), Math.ceil(200_000_000 / 7));
    await assert.rejects(db.all('SELECT 1'), (err: Error & { code?: string }) => err.code === 'session_closed');
    await db.close();
  },
);

test(
  'uint32Columns: a typed array a column, across chunks, with words ' +
    'over 2^31 and NULL as 0; none for no rows; refuses other types',
  async () => {
    const db = await DuckSession.open(':memory:');
    try {
      const [a, b] = await db.uint32Columns(
        `SELECT i::UINTEGER AS a, CASE WHEN i = 7 THEN NULL ELSE 4294967295 - i END::UINTEGER AS b
         FROM range(5000) t(i) ORDER BY i`,
      );
      assert.ok(a instanceof Uint32Array && b instanceof Uint32Array);
      assert.equal(a!.length, 5000, 'every row of three chunks');
      assert.equal(a![4999], 4999);
      assert.equal(b![0], 4294967295);
      assert.equal(b![7], 0);
      assert.equal(b![4999], 4294962296);
      const empty = await db.uint32Columns('SELECT 1::UINTEGER AS a, 2::UINTEGER AS b WHERE false');
      assert.deepEqual(
        empty.map((c) => c.length),
        [0, 0],
      );
      await assert.rejects(db.uint32Columns('SELECT 1::BIGINT AS a'), /not UINTEGER/);
    } finally {
      await db.close();
    }
  },
);
