import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { runPipeline } from '../src/home/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

async function bronzeFiles(home: string): Promise<string[]> {
  const root = new LakeLayout(home).bronze;
  const out: string[] = [];
  for (const entity of await readdir(root))
    for (const f of await readdir(join(root, entity))) out.push(`${entity}/${f}`);
  return out.sort();
}

test('one home named two ways (relative, absolute) is one home: nothing is lost or redone', async () => {
  const root = await tempDir('paths');
  const landing = join(root, 'landing');
  await generateLanding({ out: landing, scale: 0.01, seed: 9, drops: 1 });
  const relativeHome = relative(process.cwd(), join(root, 'home'));
  const first = await runPipeline({ home: relativeHome, landing });
  assert.equal(first.status, 'success');
  const before = await bronzeFiles(relativeHome);

  const second = await runPipeline({ home: resolve(relativeHome), landing: resolve(landing) });
  assert.equal(second.status, 'nothing_new');
  assert.deepEqual(await bronzeFiles(resolve(relativeHome)), before);
  const rebuilt = await runPipeline({ home: resolve(relativeHome), landing, fullRefresh: true });
  assert.equal(rebuilt.status, 'success');
  assert.equal(rebuilt.rows.bronze, first.rows.bronze);
});
