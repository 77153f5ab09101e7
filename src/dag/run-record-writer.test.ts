import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunRecordWriter } from './run-record-writer.ts';
import type { RunStore } from './run-store.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('writes run one at a time in the order queued, and the caller does not wait for them', async () => {
  const done: number[] = [];
  let active = 0;
  const writer = new RunRecordWriter({} as RunStore);
  const t0 = performance.now();
  for (const [i, ms] of [
    [1, 30],
    [2, 5],
    [3, 15],
  ] as const) {
    writer.enqueue(async () => {
      assert.equal(++active, 1, 'never two at once');
      await sleep(ms);
      done.push(i);
      active--;
    });
  }
  assert.ok(performance.now() - t0 < 10, 'queuing returns at once');
  assert.deepEqual(done, []);
  await writer.flush();
  assert.deepEqual(done, [1, 2, 3]);
});

test('after a write fails, later writes are dropped and check and flush throw that failure', async () => {
  const done: string[] = [];
  const writer = new RunRecordWriter({} as RunStore);
  writer.enqueue(async () => {
    done.push('a');
  });
  writer.enqueue(async () => {
    throw new Error('state store down');
  });
  writer.enqueue(async () => {
    done.push('c');
  });
  await assert.rejects(writer.flush(), /state store down/);
  assert.throws(() => writer.check(), /state store down/);
  assert.deepEqual(done, ['a']);
});
