import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateLanding, monthPath } from './generate-landing.ts';

async function digest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out[relative(dir, p)] = createHash('sha256')
      .update(await readFile(p))
      .digest('hex');
  }
  return out;
}

test('the same seed writes the same bytes; another seed does not', async () => {
  const a = await mkdtemp(join(tmpdir(), 'gen-a-'));
  const b = await mkdtemp(join(tmpdir(), 'gen-b-'));
  const c = await mkdtemp(join(tmpdir(), 'gen-c-'));
  await generateLanding({ out: a, scale: 0.01, seed: 21, drops: 2 });
  await generateLanding({ out: b, scale: 0.01, seed: 21, drops: 2 });
  await generateLanding({ out: c, scale: 0.01, seed: 22, drops: 2 });
  const da = await digest(a);
  assert.deepEqual(da, await digest(b));
  assert.notDeepEqual(da, await digest(c));
  // Every format and both ways of naming an entity are present.
  const names = Object.keys(da);
  for (const pattern of [
    /\.csv\.gz$/,
    /\.tsv$/,
    /\.json$/,
    /\.json\.gz$/,
    /_updates\.txt$/,
    /\.ndjson\.gz$/,
    /\.jsonl$/,
    /\.txt$/,
    /^orders\//,
    /^orders_/,
    /^_truth\/drop-2\.json$/,
  ]) {
    assert.ok(
      names.some((n) => pattern.test(n)),
      `no file matches ${pattern}`,
    );
  }
});

test('drop 2 written alone equals drop 2 written after drop 1', async () => {
  const all = await mkdtemp(join(tmpdir(), 'gen-all-'));
  const only = await mkdtemp(join(tmpdir(), 'gen-only-'));
  await generateLanding({ out: all, scale: 0.01, seed: 4, drops: 2 });
  await generateLanding({ out: only, scale: 0.01, seed: 4, drops: 2, only: 2 });
  const dAll = await digest(all);
  const dOnly = await digest(only);
  for (const [path, hash] of Object.entries(dOnly)) assert.equal(dAll[path], hash, path);
});

test(
  'monthly: the big files come one per entity and month, ' + 'deterministically; file names keep their entity',
  async () => {
    assert.equal(monthPath('events/d1-part-0.ndjson.gz', '2024-03'), 'events/month=2024-03/d1-part-0.ndjson.gz');
    assert.equal(monthPath('orders_d2_updates.txt', '2024-11'), 'orders_d2_updates.month=2024-11.txt');
    const a = await mkdtemp(join(tmpdir(), 'gen-month-a-'));
    const b = await mkdtemp(join(tmpdir(), 'gen-month-b-'));
    await generateLanding({ out: a, scale: 0.01, seed: 21, drops: 2, monthly: true });
    await generateLanding({ out: b, scale: 0.01, seed: 21, drops: 2, monthly: true });
    const da = await digest(a);
    assert.deepEqual(da, await digest(b));
    const names = Object.keys(da);
    const months = new Set(names.flatMap((n) => /^events\/month=(2024-\d\d)\//.exec(n)?.[1] ?? []));
    assert.equal(months.size, 12, `events of every month of the year (${[...months].join(', ')})`);
    assert.ok(
      names.includes('events/month=unknown/d1-part-0.ndjson.gz'),
      'the events made bad on purpose have a file of their own',
    );
    assert.ok(names.some((n) => /^orders_d2_updates\.month=2024-\d\d\.txt$/.test(n)));
    assert.ok(names.includes('customers/d1-customers.csv'), 'small files stay whole');
  },
);
