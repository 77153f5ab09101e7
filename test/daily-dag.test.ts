import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { loadModels } from '../src/transform/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

const BIN = new URL('../bin/shoplake.cjs', import.meta.url).pathname;
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

test(
  'a run is a daily DAG run: one task per model, ' + 'history with attempts and logs, gold unloaded per logical date',
  async () => {
    const root = await tempDir('dag');
    const landing = join(root, 'landing');
    const home = join(root, 'home');
    await generateLanding({ out: landing, scale: 0.005, seed: 11, drops: 1 });

    // Through the CLI: a process of its own, as a user runs it (this one would keep the state file open).
    const run = (date: string) =>
      JSON.parse(cli(['run', '--home', home, '--landing', landing, '--date', date, '--json']).stdout) as {
        runId: string;
        status: string;
      };
    const first = run('2024-03-05');
    assert.equal(first.status, 'success');
    const second = run('2024-03-06');
    assert.equal(second.status, 'nothing_new');

    const runs = JSON.parse(cli(['runs', '--home', home, '--json']).stdout) as Array<{
      runId: string;
      logicalDate: string;
      state: string;
    }>;
    assert.deepEqual(
      runs.map((r) => [r.logicalDate, r.state]),
      [
        ['2024-03-06', 'success'],
        ['2024-03-05', 'success'],
      ],
    );

    const show = cli(['runs', 'show', first.runId, '--home', home, '--json']);
    assert.equal(show.status, 0, show.stderr);
    const detail = JSON.parse(show.stdout) as {
      tasks: Array<{ task: string; state: string; attempt: number }>;
      logs: Array<{ task: string; message: string }>;
    };
    const models = (await loadModels()).map((m) => m.name);
    assert.deepEqual(
      detail.tasks.map((t) => t.task).sort(),
      ['check_landing', 'ingest', 'compact_stream', 'catalog', ...models, 'data_tests', 'publish', 'unload'].sort(),
    );
    assert.ok(detail.tasks.every((t) => t.state === 'success' && t.attempt === 1));
    assert.ok(detail.logs.some((l) => l.task === 'ingest' && /ingested/.test(l.message)));

    // Nothing new: the check finds the warehouse up to date and everything after it is skipped.
    const idle = JSON.parse(cli(['runs', 'show', second.runId, '--home', home, '--json']).stdout) as typeof detail;
    assert.deepEqual(
      Object.fromEntries(
        idle.tasks.filter((t) => ['check_landing', 'ingest', 'publish'].includes(t.task)).map((t) => [t.task, t.state]),
      ),
      { check_landing: 'success', ingest: 'skipped', publish: 'skipped' },
    );

    const processed = join(new LakeLayout(home).lake, 'processed', 'date=2024-03-05');
    assert.ok((await readdir(processed)).includes('fact_orders.parquet'));

    const missing = cli(['runs', 'show', 'nope', '--home', home]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /error \[run_not_found\]/);
  },
);
