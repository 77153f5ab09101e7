import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mapHeaders, missingKeyColumns, normalizeHeader } from './header-map.ts';
import { ENTITIES, ENTITY_NAMES } from './entities.ts';

test('case, spacing, camelCase and the contract aliases map to canonical names', () => {
  const t = (entity: Parameters<typeof mapHeaders>[0], headers: string[]) =>
    mapHeaders(entity, headers).map((m) => m.target);
  assert.deepEqual(t('customers', ['Customer_ID ', 'firstName', 'LAST_NAME', 'zip']), [
    'customer_id',
    'first_name',
    'last_name',
    'zip',
  ]);
  assert.deepEqual(t('customers', ['cust_id']), ['customer_id']);
  assert.deepEqual(t('customers', ['customerid']), ['customer_id']);
  assert.deepEqual(t('customers', ['client_id']), ['customer_id']);
  assert.deepEqual(t('order_items', ['Order_ID', 'line', 'sku', 'qty', 'price', 'discount']), [
    'order_id',
    'line_number',
    'product_id',
    'quantity',
    'unit_price',
    'discount',
  ]);
  assert.deepEqual(t('order_items', ['line_no', 'prod_id', 'UnitPrice']), ['line_number', 'product_id', 'unit_price']);
  assert.deepEqual(t('orders', ['order_date']), ['order_ts']);
  assert.deepEqual(t('orders', ['ordered_at']), ['order_ts']);
  assert.deepEqual(t('events', ['timestamp', 'type']), ['event_ts', 'event_type']);
  assert.deepEqual(t('events', ['event_time', 'event']), ['event_ts', 'event_type']);
  assert.deepEqual(t('events', ['ts']), ['event_ts']);
  // `type` means event_type for events only.
  assert.deepEqual(t('products', ['type']), ['type']);
});

test('two spellings of one column both map to it; unknown duplicates get unique names', () => {
  assert.deepEqual(
    mapHeaders('events', ['event_type', 'type']).map((m) => m.target),
    ['event_type', 'event_type'],
  );
  assert.deepEqual(
    mapHeaders('stores', ['Note', 'note']).map((m) => m.target),
    ['note', 'note_2'],
  );
});

test('a missing key is named', () => {
  assert.deepEqual(missingKeyColumns('order_items', mapHeaders('order_items', ['order_id', 'qty'])), ['line_number']);
  assert.deepEqual(missingKeyColumns('order_items', mapHeaders('order_items', ['ORDER_ID', 'Line_No'])), []);
});

test('property: any decoration of a canonical name maps back to it', () => {
  const entityCol = fc
    .constantFrom(...ENTITY_NAMES)
    .chain((e) => fc.tuple(fc.constant(e), fc.constantFrom(...ENTITIES[e].columns)));
  const decorate = fc.constantFrom(
    (c: string) => c.toUpperCase(),
    (c: string) => ` ${c} `,
    (c: string) => c.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase()),
    (c: string) =>
      c
        .split('_')
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join('_'),
    (c: string) =>
      c
        .split('_')
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join(''),
  );
  fc.assert(fc.property(entityCol, decorate, ([entity, col], f) => mapHeaders(entity, [f(col)])[0]!.target === col));
});

test('property: normalizing is idempotent and every header gets a distinct non-empty target unless canonical', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 12 }), (headers) => {
      const targets = mapHeaders('stores', headers).map((m) => m.target);
      const unknown = targets.filter((t) => !ENTITIES.stores.columns.includes(t));
      return (
        targets.every((t) => t.length > 0) &&
        new Set(unknown).size === unknown.length &&
        headers.every((h) => normalizeHeader(normalizeHeader(h)) === normalizeHeader(h))
      );
    }),
  );
});
