import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamLog } from './stream-log.ts';

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
  assert.deepEqual(results.filter((r) => r.status === 'rejected'), []);
  await log.seal();
  const lines = (await Promise.all((await log.sealed()).map((s) => readFile(s, 'utf8')))).join('').split('\n').filter(Boolean);
  assert.equal(lines.length, 400);
  assert.equal(new Set(lines).size, 400);
  assert.ok((await log.sealed()).length > 1, 'the seals cut several segments');
  await log.close();
});
