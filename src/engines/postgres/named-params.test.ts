import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toPositional } from './named-params.ts';

test('each distinct name becomes one position, in order of first use', () => {
  const r = toPositional('SELECT * FROM t WHERE ($e IS NULL OR entity = $e) AND seq <= $seq', { seq: 4, e: 'orders' });
  assert.equal(r.text, 'SELECT * FROM t WHERE ($1 IS NULL OR entity = $1) AND seq <= $2');
  assert.deepEqual(r.values, ['orders', 4]);
});

test('casts, quoted text and quoted identifiers are left alone', () => {
  const r = toPositional(`INSERT INTO "t$x" VALUES ($at::TIMESTAMP, 'it''s $not', $v)`, { at: '2026-01-01', v: null });
  assert.equal(r.text, `INSERT INTO "t$x" VALUES ($1::TIMESTAMP, 'it''s $not', $2)`);
  assert.deepEqual(r.values, ['2026-01-01', null]);
});

test('a name with no value is an error, not a silent NULL', () => {
  assert.throws(() => toPositional('SELECT $missing', {}), /\$missing has no value/);
});

test('positional parameters are refused; values no statement names are left out', () => {
  assert.throws(() => toPositional('SELECT $1, $a', { a: 1 }), /not positions/);
  const r = toPositional('SELECT $a', { a: 1, unused: 2 });
  assert.deepEqual(r.values, [1]);
});
