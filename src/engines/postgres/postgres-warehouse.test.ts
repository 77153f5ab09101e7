import { test } from 'node:test';
import assert from 'node:assert/strict';
import { publishRetryDelay } from './postgres-warehouse.ts';

test(
  'publish retries wait 250 ms doubling up to 5 s: ' + 'about 13 s over seven attempts, enough for a server restart',
  () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(publishRetryDelay), [250, 500, 1000, 2000, 4000, 5000, 5000]);
    assert.equal(
      [1, 2, 3, 4, 5, 6].map(publishRetryDelay).reduce((a, b) => a + b, 0),
      12_750,
    );
  },
);
