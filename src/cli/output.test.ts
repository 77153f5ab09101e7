import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable } from './output.ts';

test('quantities get separators and keep their decimals; labels do not', () => {
  const t = formatTable([
    { year: 2024, month: '1', revenue: '1257606.49', orders: 1504, store_id: 'S001', share: 0.25 },
  ]);
  const [header, , row] = t.split('\n');
  assert.match(header!, /^year\s+month\s+revenue\s+orders\s+store_id\s+share$/);
  assert.match(row!, /^2024\s+1\s+1,257,606.49\s+1,504\s+S001\s+0.25$/);
});

test('an empty result says so', () => {
  assert.equal(formatTable([]), '(no rows)');
});
