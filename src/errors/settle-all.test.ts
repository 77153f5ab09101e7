import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settleAll } from './settle-all.ts';

test('settleAll: the values in order; the first rejection only after every promise has settled', async () => {
  assert.deepEqual(
    await settleAll([Promise.resolve(1), new Promise<number>((r) => setTimeout(() => r(2), 20))]),
    [1, 2],
  );
  let lateDone = false;
  const late = new Promise<number>((r) =>
    setTimeout(() => {
      lateDone = true;
      r(3);
    }, 50),
  );
  await assert.rejects(
    settleAll([Promise.reject(new Error('first')), Promise.reject(new Error('second')), late]),
    /first/,
  );
  assert.ok(lateDone, 'the slow one had settled before the rejection was thrown');
});
