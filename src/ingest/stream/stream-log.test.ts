import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamLog, type GroupTiming } from './stream-log.ts';

test('appends racing with seals all land on disk, each line in exactly one sealed segment', async () => {
  const log = new StreamLog(await mkdtemp(join(tmpdir(), 'stream-log-')));
  await log.open();
  const appends: Array<Promise<void>> = [];
  const seals: Array<Promise<void>> = [];
  for (let i = 0; i < 400; i++) {
    appends.push(log.append([JSON.stringify({ i })], ['i']));
    // A seal while writes are in flight (the delivery clock's), appends arriving during it.
    if (i % 20 === 0) {
      await appends.at(-1);
      seals.push(log.seal());
    }
    if (i % 5 === 0) await new Promise((r) => setImmediate(r));
  }
  const results = await Promise.allSettled([...appends, ...seals]);
  assert.deepEqual(
    results.filter((r) => r.status === 'rejected'),
    [],
  );
  await log.seal();
  const lines = (await Promise.all((await log.sealed()).map((s) => readFile(s, 'utf8'))))
    .join('')
    .split('\n')
    .filter(Boolean);
  assert.equal(lines.length, 400);
  assert.equal(new Set(lines).size, 400);
  assert.ok((await log.sealed()).length > 1, 'the seals cut several segments');
  await log.close();
});

test('each group write reports how long its oldest append queued, its write and its fsync', async () => {
  const groups: GroupTiming[] = [];
  const log = new StreamLog(await mkdtemp(join(tmpdir(), 'stream-log-')), (t) => groups.push(t));
  await log.open();
  await log.append(['{"i":0}'], ['i']);
  assert.equal(groups.length, 1);
  // Appends made while a group is being written wait for it in the queue.
  const first = log.append(['{"i":1}'], ['i']);
  // The write loop takes its batch a few microtasks later; its write cannot finish before
  // this function yields to the event loop.
  for (let i = 0; i < 3; i++) await Promise.resolve();
  const queuedAt = performance.now();
  const behind = [log.append(['{"i":2}'], ['i']), log.append(['{"i":3}'], ['i'])];
  await Promise.all([first, ...behind]);
  const waited = (performance.now() - queuedAt) / 1000;
  assert.equal(groups.length, 3, 'the two appends behind the running group share one write');
  const queued = groups[2]!;
  assert.ok(queued.queued > 0, 'the group behind a running one waited for it');
  assert.ok(
    queued.queued + queued.write + queued.sync <= waited + 1e-3,
    'its queue wait, write and fsync fit in the time its appends took',
  );
  for (const g of groups) for (const v of [g.queued, g.write, g.sync]) assert.ok(v >= 0);
  await log.close();
});
