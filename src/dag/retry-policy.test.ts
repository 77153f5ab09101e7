import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canRetry, NO_RETRY, retryDelay, retryPolicy } from './retry-policy.ts';

test('delays grow exponentially and stop at the cap', () => {
  const p = retryPolicy({ initialDelayMs: 100, multiplier: 2, maxDelayMs: 1000, jitter: 0 });
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6].map((a) => retryDelay(p, a)),
    [100, 200, 400, 800, 1000, 1000],
  );
});

test('jitter spreads the delay between (1 - jitter) x base and base', () => {
  const p = retryPolicy({ initialDelayMs: 1000, multiplier: 3, maxDelayMs: 1e9, jitter: 0.5 });
  assert.equal(retryDelay(p, 2, 0), 1500);
  assert.equal(retryDelay(p, 2, 0.999999), 3000);
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (attempt, r) => {
        const base = Math.min(p.maxDelayMs, 1000 * 3 ** (attempt - 1));
        const d = retryDelay(p, attempt, r);
        return d >= Math.floor(base * 0.5) && d <= Math.ceil(base);
      },
    ),
  );
});

test('attempts are counted with the first one included; policies are frozen and checked', () => {
  const p = retryPolicy({ maxAttempts: 3 });
  assert.deepEqual(
    [1, 2, 3].map((a) => canRetry(p, a)),
    [true, true, false],
  );
  assert.equal(canRetry(NO_RETRY, 1), false);
  assert.throws(() => ((p as { maxAttempts: number }).maxAttempts = 9), TypeError);
  assert.throws(() => retryPolicy({ maxAttempts: 0 }), RangeError);
  assert.throws(() => retryPolicy({ jitter: 2 }), RangeError);
});
