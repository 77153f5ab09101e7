import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entityOfPath } from './entity-of-path.ts';

test('entity by folder, then by root prefix', () => {
  assert.equal(entityOfPath('orders/2024-05-01.csv.gz'), 'orders');
  assert.equal(entityOfPath('orders/2024/05/x.csv'), 'orders');
  assert.equal(entityOfPath('orders_2024-05-01.csv'), 'orders');
  assert.equal(entityOfPath('order_items-batch7.ndjson'), 'order_items');
  assert.equal(entityOfPath('Customers.json'), 'customers');
  assert.equal(entityOfPath('suppliers_d1.csv'), undefined);
  assert.equal(entityOfPath('misc/orders.csv'), undefined);
  assert.equal(entityOfPath('ordersx.csv'), undefined);
});
