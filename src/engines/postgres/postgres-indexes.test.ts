import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexName } from './postgres-indexes.ts';

test('indexName: the name PostgreSQL gives a one-column index, cut to the 63 bytes it keeps', () => {
  assert.equal(indexName({ table: 'fact_orders', column: 'store_key' }), 'fact_orders_store_key_idx');
  const long = indexName({ table: 'mart_'.repeat(10), column: 'customer_key' });
  assert.equal(Buffer.byteLength(long), 63);
  assert.ok(long.startsWith('mart_mart_'));
  // A character cut in the middle of its bytes is left out whole.
  const accented = indexName({ table: 'é'.repeat(40), column: 'k' });
  assert.equal(accented, 'é'.repeat(31));
});
