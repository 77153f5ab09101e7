import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { runPipeline } from '../src/home/index.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { warehouseDiff } from './helpers/warehouse-diff.ts';

const BIN = new URL('../bin/shoplake.cjs', import.meta.url).pathname;

/** Starts `shoplake run` and SIGKILLs it after `ms`; resolves with whether it was still running. */
function runAndKill(home: string, landing: string, ms: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', '--home', home, '--landing', landing, '--json'], {
      stdio: 'ignore',
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = child.kill('SIGKILL');
    }, ms);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(killed);
    });
  });
}

test('a run killed at any point, then run again, gives the warehouse of an uninterrupted run', async () => {
  const root = await tempDir('crash');
  const landing = join(root, 'landing');
  await generateLanding({ out: landing, scale: 0.01, seed: 5, drops: 2 });

  const reference = join(root, 'reference');
  const ok = await runPipeline({ home: reference, landing });
  assert.equal(ok.status, 'success');

  // Kill points spread over the whole run: start-up, ingest, transform, publish.
  const killPoints = [700, 1500, 2500, 3500, 4500, 6000];
  let killedMidRun = 0;
  for (const ms of killPoints) {
    const home = join(root, `killed-${ms}`);
    if (await runAndKill(home, landing, ms)) killedMidRun++;
    const rerun = await runPipeline({ home, landing });
    assert.equal(
      rerun.status === 'success' || rerun.status === 'nothing_new',
      true,
      `rerun after a kill at ${ms} ms: ${JSON.stringify(rerun.error)}`,
    );
    assert.deepEqual(
      await warehouseDiff(new LakeLayout(reference).warehouseDb, new LakeLayout(home).warehouseDb),
      [],
      `kill at ${ms} ms`,
    );
  }
  assert.ok(killedMidRun >= 3, `only ${killedMidRun} kills landed mid-run: the kill points need adjusting`);
});

test('a second drop killed mid-run keeps the first drop published, then catches up', async () => {
  const root = await tempDir('crash2');
  const landing = join(root, 'landing');
  const full = join(root, 'full');
  await generateLanding({ out: full, scale: 0.01, seed: 5, drops: 2 });
  await generateLanding({ out: landing, scale: 0.01, seed: 5, drops: 2, only: 1 });
  const home = join(root, 'home');
  assert.equal((await runPipeline({ home, landing })).status, 'success');
  const snapshot = join(root, 'after-drop-1.duckdb');
  await cp(new LakeLayout(home).warehouseDb, snapshot);

  await generateLanding({ out: landing, scale: 0.01, seed: 5, drops: 2, only: 2 });
  await runAndKill(home, landing, 1200);
  // Killed before its publish, the last good warehouse is still the drop-1 one.
  const afterKill = await warehouseDiff(snapshot, new LakeLayout(home).warehouseDb);
  const reference = join(root, 'reference');
  await runPipeline({ home: reference, landing: full });
  const matchesFinal =
    (await warehouseDiff(new LakeLayout(reference).warehouseDb, new LakeLayout(home).warehouseDb)).length === 0;
  assert.ok(afterKill.length === 0 || matchesFinal, 'the warehouse is either the old one or the new one, never a mix');

  assert.notEqual((await runPipeline({ home, landing })).status, 'failed');
  assert.deepEqual(await warehouseDiff(new LakeLayout(reference).warehouseDb, new LakeLayout(home).warehouseDb), []);
});
