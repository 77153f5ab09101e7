import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckSession } from '../src/duck/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { IngestQueue, runIngestTask } from '../src/ingest/index.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { queueLocation, runPipeline } from '../src/home/index.ts';
import type { RunOptions } from '../src/pipeline/index.ts';
import { JobQueue } from '../src/state/index.ts';
import { loadModels, MODEL_QUEUE, runModelTask, type ModelResult, type ModelTask } from '../src/transform/index.ts';
import { postgresAvailable, tempStateUrl } from './helpers/postgres.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { until } from './helpers/until.ts';
import { warehouseDiff } from './helpers/warehouse-diff.ts';
import { zoneDiff } from './helpers/zone-diff.ts';
import { startWorker } from './helpers/worker-process.ts';

test(
  'workers: ingest and model tasks go through the PostgreSQL queue to worker processes; the warehouse ' +
    'and lake zones equal a one-process run; a worker killed mid-task has its task taken by another',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const stateUrl = tempStateUrl(t, 'shoplake_w');
    const root = await tempDir('workers');
    const landing = join(root, 'landing');
    await generateLanding({ out: landing, scale: 0.003, seed: 31, drops: 2, only: 1 });
    const local = join(root, 'local');
    const onWorkers = join(root, 'workers');
    const workers: RunOptions['workers'] = {
      ...queueLocation(stateUrl),
      taskTimeoutSeconds: 4,
      attempts: 3,
      idleMs: 60_000,
      superviseSeconds: 1,
      models: true,
      modelTasksAtOnce: 4,
    };

    const a = startWorker(stateUrl);
    const b = startWorker(stateUrl);
    try {
      await Promise.all([a.ready(), b.ready()]);
      assert.equal((await runPipeline({ home: local, landing })).status, 'success');
      const first = await runPipeline({ home: onWorkers, landing, stateUrl, workers });
      assert.equal(first.status, 'success', JSON.stringify(first.error));
      assert.deepEqual(
        await warehouseDiff(new LakeLayout(local).warehouseDb, new LakeLayout(onWorkers).warehouseDb),
        [],
      );
      const took = (w: { out: () => string }) => (w.out().match(/ start (?!model )/g) ?? []).length;
      assert.equal(took(a) + took(b), first.files.discovered, 'every landing file was one task');
      const built = (w: { out: () => string }) => [...w.out().matchAll(/done model (\w+): success/g)].map((m) => m[1]);
      assert.equal(built(a).length + built(b).length, first.models.length, 'every model was built by a worker');
      // Over ingest and model tasks both: small files alone can all go to the worker that
      // polled first (seen once in a full suite: 0 and 18).
      const share = (w: typeof a) => took(w) + built(w).length;
      assert.ok(
        share(a) > 0 && share(b) > 0,
        `both workers took tasks (${took(a)} + ${built(a).length} and ${took(b)} + ${built(b).length})`,
      );
      assert.deepEqual(await zoneDiff(local, onWorkers), []);
    } finally {
      await a.stop();
      await b.stop();
    }

    // Drop 2, and a bulky events file whose task takes long enough to be cut short: one
    // worker, killed as it starts that task; a second worker comes up after.
    await generateLanding({ out: landing, scale: 0.003, seed: 31, drops: 2, only: 2 });
    const mobile = await readFile(join(landing, 'events', 'd2-mobile.jsonl'));
    await writeFile(join(landing, 'events', 'd2-bulk.jsonl'), Buffer.concat(Array.from({ length: 60 }, () => mobile)));
    assert.equal((await runPipeline({ home: local, landing })).status, 'success');
    const doomed = startWorker(stateUrl);
    let rescuer: ReturnType<typeof startWorker> | undefined;
    try {
      await doomed.ready();
      const run = runPipeline({ home: onWorkers, landing, stateUrl, workers: { ...workers, taskTimeoutSeconds: 20 } });
      const killed = 'events/d2-bulk.jsonl';
      await until(
        'the bulky task to start',
        async () => (doomed.out().includes(`start ${killed}`) ? true : undefined),
        60_000,
      );
      doomed.proc.kill('SIGKILL');
      rescuer = startWorker(stateUrl);
      const second = await run;
      assert.equal(second.status, 'success', JSON.stringify(second.error));
      assert.ok(
        rescuer.out().includes(`done ${killed}`),
        `the killed task was run by the other worker:\n${rescuer.out()}`,
      );
      assert.ok(!doomed.out().includes(`done ${killed}`), 'the killed worker never finished it');
      assert.deepEqual(
        await warehouseDiff(new LakeLayout(local).warehouseDb, new LakeLayout(onWorkers).warehouseDb),
        [],
      );
    } finally {
      await doomed.stop();
      await rescuer?.stop();
    }
  },
);

test('workers: with none running, the run fails as transient with no_workers and a hint', async (t) => {
  if (!(await postgresAvailable(t))) return;
  const stateUrl = tempStateUrl(t, 'shoplake_nw');
  const root = await tempDir('no-workers');
  await generateLanding({ out: join(root, 'landing'), scale: 0.002, seed: 3, drops: 1 });
  const run = await runPipeline({
    home: join(root, 'home'),
    landing: join(root, 'landing'),
    stateUrl,
    workers: { ...queueLocation(stateUrl), taskTimeoutSeconds: 5, attempts: 1, idleMs: 2000 },
  });
  assert.equal(run.status, 'failed');
  assert.equal(run.error?.code, 'no_workers');
  assert.match(run.error?.hint ?? '', /shoplake worker/);
});

test(
  'workers: a model task whose worker stops answering is taken by ' +
    'another after the task timeout; the warehouse equals a one-process run',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const stateUrl = tempStateUrl(t, 'shoplake_wm');
    const root = await tempDir('workers-model');
    const landing = join(root, 'landing');
    await generateLanding({ out: landing, scale: 0.002, seed: 5, drops: 1 });
    const local = join(root, 'local');
    assert.equal((await runPipeline({ home: local, landing })).status, 'success');
    const queue = { ...queueLocation(stateUrl), taskTimeoutSeconds: 4, attempts: 3, superviseSeconds: 1 };

    // A worker in this process, one task at a time: it does the ingest tasks and the models,
    // then hangs on silver_events, as one whose machine froze would.
    const jobs = await JobQueue.open(queue);
    const db = await DuckSession.open(':memory:');
    const models = await loadModels();
    const taken: string[] = [];
    let unfreeze!: (err: Error) => void;
    const frozen = new Promise<never>((_, reject) => (unfreeze = reject));
    frozen.catch(() => undefined);
    await new IngestQueue(jobs).work(1, async (task) => {
      const conn = await db.fork();
      try {
        return await runIngestTask(task, conn);
      } finally {
        await conn.close();
      }
    });
    await jobs.work<ModelTask, ModelResult>(MODEL_QUEUE, 1, async (task) => {
      taken.push(task.model);
      if (task.model !== 'silver_events') return runModelTask(task, models, {});
      // Frozen, it takes nothing more: its queue stops fetching (and gives the task up when
      // it has held it past the task timeout).
      void jobs.close();
      return frozen;
    });
    let rescuer: ReturnType<typeof startWorker> | undefined;
    try {
      const home = join(root, 'home');
      const run = runPipeline({
        home,
        landing,
        stateUrl,
        workers: { ...queue, idleMs: 60_000, models: true, modelTasksAtOnce: 1 },
      });
      await until(
        'the frozen worker to take silver_events',
        async () => (taken.includes('silver_events') ? true : undefined),
        60_000,
      );
      rescuer = startWorker(stateUrl);
      const result = await run;
      assert.equal(result.status, 'success', JSON.stringify(result.error));
      assert.match(
        rescuer.out(),
        /done model silver_events: success/,
        'the other worker built the model the frozen one held',
      );
      assert.deepEqual(await warehouseDiff(new LakeLayout(local).warehouseDb, new LakeLayout(home).warehouseDb), []);
    } finally {
      unfreeze(new Error('the test is over'));
      await rescuer?.stop();
      await jobs.close();
      await db.close();
    }
  },
);
