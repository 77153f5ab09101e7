import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSchemas, type CatalogColumn } from './schema-registry.ts';

const col = (source: string, target: string, type: CatalogColumn['type'] = 'text'): CatalogColumn => ({
  source,
  target,
  match: 'exact',
  type,
});

test('drift between two schemas names every kind of change', () => {
  const before = [
    col('Customer_ID', 'customer_id'),
    col('Email', 'email'),
    col('First_Name', 'first_name'),
    col('age', 'age', 'integer'),
  ];
  const after = [
    col('cust_id', 'customer_id'),
    col('firstName', 'first_name'),
    col('loyaltyTier', 'loyalty_tier'),
    col('age', 'age', 'decimal'),
  ];
  const kinds = diffSchemas(before, after)
    .map((d) => `${d.kind}:${d.column}`)
    .sort();
  assert.deepEqual(kinds, ['added:loyalty_tier', 'missing:email', 'renamed:customer_id', 'type_changed:age']);
});

test('an empty column does not count as a type change', () => {
  assert.deepEqual(diffSchemas([col('a', 'a', 'integer')], [col('a', 'a', 'empty')]), []);
});
