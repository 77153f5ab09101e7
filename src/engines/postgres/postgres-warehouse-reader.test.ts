import { test } from 'node:test';
import assert from 'node:assert/strict';
import { positional } from './postgres-warehouse-reader.ts';

test('named parameters become positional ones, a repeated name reusing its number', () => {
  assert.deepEqual(
    positional('SELECT * FROM t WHERE d BETWEEN $from AND $to AND ($store::VARCHAR IS NULL OR s = $store)', {
      from: 'a',
      to: 'b',
      store: null,
    }),
    {
      text: 'SELECT * FROM t WHERE d BETWEEN $1 AND $2 AND ($3::VARCHAR IS NULL OR s = $3)',
      values: ['a', 'b', null],
    },
  );
  assert.deepEqual(positional('SELECT 1'), { text: 'SELECT 1', values: [] });
  assert.throws(() => positional('SELECT $missing', {}), /no value for parameter \$missing/);
});
