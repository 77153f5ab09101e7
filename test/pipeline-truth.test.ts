import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { runPipeline } from '../src/home/index.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { readTruth, truthMismatches } from './helpers/truth-check.ts';
import { warehouseDiff } from './helpers/warehouse-diff.ts';

const SCALE = 0.02;
const SEED = 11;

test('two drops, incrementally, match the truth; a full rebuild gives the same warehouse', async () => {
  const root = await tempDir('truth');
  const landing = join(root, 'landing');
  const home = join(root, 'home');

  await generateLanding({ out: landing, scale: SCALE, seed: SEED, drops: 2, only: 1 });
  const first = await runPipeline({ home, landing });
  assert.equal(first.status, 'success', JSON.stringify(first.error));
  assert.deepEqual(await truthMismatches(home, await readTruth(landing, 1)), []);

  await generateLanding({ out: landing, scale: SCALE, seed: SEED, drops: 2, only: 2 });
  const second = await runPipeline({ home, landing });
  assert.equal(second.status, 'success', JSON.stringify(second.error));
  assert.equal(second.files.unchanged, first.files.discovered, 'drop-1 files are not read again');
  assert.equal(second.files.duplicates, 1, 'the re-delivered stores file is skipped');
  assert.deepEqual(await truthMismatches(home, await readTruth(landing, 2)), []);

  // Nothing new: nothing is rebuilt and the warehouse file is untouched.
  const before = await stat(new LakeLayout(home).warehouseDb);
  const idle = await runPipeline({ home, landing });
  assert.equal(idle.status, 'nothing_new');
  assert.equal((await stat(new LakeLayout(home).warehouseDb)).mtimeMs, before.mtimeMs);

  // A home built from both drops at once, and a --full-refresh of the first home.
  const fresh = join(root, 'fresh');
  const freshRun = await runPipeline({ home: fresh, landing });
  assert.equal(freshRun.status, 'success');
  // stores_d1.csv and its identical re-send are parsed side by side: one is kept, the
  // other recorded as a duplicate, and no bronze file is left for it.
  assert.equal(freshRun.files.duplicates, 1);
  const bronzeFiles = (await readdir(new LakeLayout(fresh).bronze, { recursive: true })).filter((f) =>
    f.endsWith('.parquet'),
  );
  assert.equal(bronzeFiles.length, freshRun.files.ingested);
  assert.deepEqual(await warehouseDiff(new LakeLayout(home).warehouseDb, new LakeLayout(fresh).warehouseDb), []);
  const refreshed = await runPipeline({ home, landing, fullRefresh: true });
  assert.equal(refreshed.status, 'success');
  assert.equal(refreshed.files.unchanged, 0);
  assert.deepEqual(await warehouseDiff(new LakeLayout(home).warehouseDb, new LakeLayout(fresh).warehouseDb), []);
});

test(
  'a landing zone split by entity and month builds the warehouse the whole files build, ' + 'and matches the truth',
  async () => {
    const root = await tempDir('truth-monthly');
    const whole = join(root, 'whole');
    const monthly = join(root, 'monthly');
    await generateLanding({ out: whole, scale: SCALE, seed: SEED, drops: 1 });
    await generateLanding({ out: monthly, scale: SCALE, seed: SEED, drops: 1, monthly: true });
    const a = await runPipeline({ home: join(root, 'home-whole'), landing: whole });
    const b = await runPipeline({ home: join(root, 'home-monthly'), landing: monthly });
    assert.equal(b.status, 'success', JSON.stringify(b.error));
    assert.ok(
      b.files.ingested > a.files.ingested + 20,
      `many more files to ingest (${b.files.ingested} vs ${a.files.ingested})`,
    );
    assert.deepEqual(await truthMismatches(join(root, 'home-monthly'), await readTruth(monthly, 1)), []);
    assert.deepEqual(
      await warehouseDiff(
        new LakeLayout(join(root, 'home-whole')).warehouseDb,
        new LakeLayout(join(root, 'home-monthly')).warehouseDb,
      ),
      [],
    );
  },
);
