import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throttle } from './throttle.ts';

test('throttle: the first call runs at once, calls inside the interval make one deferred call at its end', async () => {
  const at: number[] = [];
  const t0 = Date.now();
  const t = throttle(() => at.push(Date.now() - t0), 120);
  t.call();
  t.call();
  t.call();
  assert.equal(at.length, 1);
  await new Promise((r) => setTimeout(r, 60));
  t.call();
  assert.equal(at.length, 1, 'still inside the interval');
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(at.length, 2, 'the deferred calls ran once');
  assert.ok(at[1]! >= 110, `deferred to the interval's end (ran at ${at[1]} ms)`);
  t.call();
  assert.equal(at.length, 2, 'a call right after the deferred one waits again');
  t.cancel();
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(at.length, 2, 'cancel drops the deferred call');
});

test('throttle without leading: a first call waits an interval', async () => {
  let calls = 0;
  const t = throttle(() => calls++, 80, { leading: false });
  t.call();
  assert.equal(calls, 0);
  await new Promise((r) => setTimeout(r, 130));
  assert.equal(calls, 1);
});
