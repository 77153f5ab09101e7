import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerminalError, TransientError } from '../errors/index.ts';
import { openStateStore } from '../engines/duckdb/index.ts';
import { defineDag, type TaskSpec } from './dag-definition.ts';
import { executeRun } from './dag-executor.ts';
import { DuckdbRunStore } from '../engines/duckdb/duckdb-run-store.ts';
import { retryPolicy } from './retry-policy.ts';
import type { DagRunRecord } from './run-store.ts';

async function store() {
  const db = await openStateStore(join(await mkdtemp(join(tmpdir(), 'dag-')), 'state.duckdb'));
  return new DuckdbRunStore(db);
}

let n = 0;
function newRun(dag: string): DagRunRecord {
  return {
    runId: `r${++n}`,
    dag,
    logicalDate: '2024-03-01',
    runType: 'manual',
    state: 'queued',
    conf: {},
    queuedAt: new Date().toISOString(),
  };
}

const task = (
  name: string,
  dependsOn: string[],
  run: TaskSpec<unknown>['run'] = async () => undefined,
  extra: Partial<TaskSpec<unknown>> = {},
): TaskSpec<unknown> => ({ name, dependsOn, run, ...extra });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('independent tasks run in parallel up to the DAG limit, dependents after', async () => {
  let active = 0;
  let peak = 0;
  const order: string[] = [];
  // Each task stays until a second one is running beside it (or 2 s pass), so the overlap
  // does not depend on how fast the run history saves on a loaded machine.
  const work = (name: string) => async () => {
    active++;
    peak = Math.max(peak, active);
    for (let waited = 0; peak < 2 && waited < 2000; waited += 10) await sleep(10);
    await sleep(20);
    order.push(name);
    active--;
  };
  const dag = defineDag({
    name: 'par',
    description: '',
    maxActiveTasks: 2,
    tasks: [
      task('a', [], work('a')),
      task('b', [], work('b')),
      task('c', [], work('c')),
      task('d', ['a', 'b', 'c'], work('d')),
    ],
  });
  const s = await store();
  const run = newRun('par');
  await s.createRun(run);
  const r = await executeRun(dag, run, { store: s });
  assert.equal(r.state, 'success');
  assert.equal(peak, 2);
  assert.equal(order.at(-1), 'd');
  assert.deepEqual(
    (await s.tasks(run.runId)).map((t) => t.state),
    ['success', 'success', 'success', 'success'],
  );
  assert.equal((await s.getRun(run.runId))?.state, 'success');
});

test('a transient failure is retried with backoff; each attempt is logged', async () => {
  let calls = 0;
  const dag = defineDag({
    name: 'retry',
    description: '',
    retry: retryPolicy({ maxAttempts: 3, initialDelayMs: 20, jitter: 0 }),
    tasks: [
      task('flaky', [], async (ctx) => {
        calls++;
        ctx.log(`try ${ctx.attempt}`);
        if (calls < 3) throw new TransientError('s3_failed', 'disk busy');
        return { output: { rows: 7 } };
      }),
    ],
  });
  const s = await store();
  const run = newRun('retry');
  await s.createRun(run);
  const t0 = Date.now();
  const r = await executeRun(dag, run, { store: s });
  assert.equal(r.state, 'success');
  assert.ok(Date.now() - t0 >= 20 + 40, 'waited 20 ms then 40 ms');
  const [t] = await s.tasks(run.runId);
  assert.equal(t?.attempt, 3);
  assert.deepEqual(t?.output, { rows: 7 });
  const logs = (await s.logs(run.runId)).map((l) => `${l.attempt}:${l.message}`);
  assert.deepEqual(logs, [
    '1:try 1',
    '1:attempt 1 failed: [s3_failed] disk busy; retrying in 20 ms',
    '2:try 2',
    '2:attempt 2 failed: [s3_failed] disk busy; retrying in 40 ms',
    '3:try 3',
  ]);
});

test('a terminal failure is not retried and marks everything downstream upstream_failed', async () => {
  let calls = 0;
  const dag = defineDag({
    name: 'term',
    description: '',
    retry: retryPolicy({ maxAttempts: 5, initialDelayMs: 1 }),
    tasks: [
      task('bad', [], async () => {
        calls++;
        throw new TerminalError('bad_request', 'file is broken');
      }),
      task('next', ['bad']),
      task('last', ['next']),
      task('other', []),
    ],
  });
  const s = await store();
  const run = newRun('term');
  await s.createRun(run);
  const r = await executeRun(dag, run, { store: s });
  assert.equal(calls, 1);
  assert.equal(r.state, 'failed');
  assert.deepEqual(Object.fromEntries(r.tasks.map((t) => [t.task, t.state])), {
    bad: 'failed',
    next: 'upstream_failed',
    last: 'upstream_failed',
    other: 'success',
  });
  assert.deepEqual((await s.getRun(run.runId))?.error, {
    code: 'bad_request',
    message: 'file is broken',
    subject: 'bad',
  });
});

test('an attempt past its timeout is aborted and fails as transient', async () => {
  let aborted = false;
  const dag = defineDag({
    name: 'slow',
    description: '',
    retry: retryPolicy({ maxAttempts: 2, initialDelayMs: 1, jitter: 0 }),
    tasks: [
      task(
        'hang',
        [],
        async (ctx) => {
          ctx.signal.addEventListener('abort', () => (aborted = true));
          await sleep(500);
        },
        { timeoutMs: 30 },
      ),
    ],
  });
  const s = await store();
  const run = newRun('slow');
  await s.createRun(run);
  const r = await executeRun(dag, run, { store: s });
  assert.equal(r.state, 'failed');
  assert.ok(aborted);
  assert.equal(r.tasks[0]?.attempt, 2);
  assert.equal(r.tasks[0]?.error?.code, 'task_timeout');
});

test('a task with nothing to do skips what follows it; the run still succeeds', async () => {
  const dag = defineDag({
    name: 'skip',
    description: '',
    tasks: [
      task('check', [], async () => ({ skipDownstream: true })),
      task('work', ['check']),
      task('after', ['work']),
    ],
  });
  const s = await store();
  const run = newRun('skip');
  await s.createRun(run);
  const r = await executeRun(dag, run, { store: s });
  assert.equal(r.state, 'success');
  assert.deepEqual(
    r.tasks.map((t) => t.state),
    ['success', 'skipped', 'skipped'],
  );
});

test('a none_failed task runs after skipped dependencies but not after failed ones', async () => {
  const s = await store();
  const ran: string[] = [];
  const mark = (name: string) => async () => void ran.push(name);
  const skipDag = defineDag({
    name: 'nf',
    description: '',
    tasks: [
      task('check', [], async () => ({ skipDownstream: true })),
      task('work', ['check']),
      task('unload', ['work'], mark('unload'), { trigger: 'none_failed' }),
    ],
  });
  const r1 = await executeRun(skipDag, newRun('nf'), { store: s });
  assert.deepEqual(
    r1.tasks.map((t) => t.state),
    ['success', 'skipped', 'success'],
  );
  const failDag = defineDag({
    name: 'nf2',
    description: '',
    tasks: [
      task('work', [], async () => {
        throw new TerminalError('model_failed', 'bad data');
      }),
      task('unload', ['work'], mark('unload2'), { trigger: 'none_failed' }),
    ],
  });
  const r2 = await executeRun(failDag, newRun('nf2'), { store: s });
  assert.deepEqual(
    r2.tasks.map((t) => t.state),
    ['failed', 'upstream_failed'],
  );
  assert.deepEqual(ran, ['unload']);
});

test('cycles and unknown dependencies are refused when the DAG is defined, with the path named', () => {
  assert.throws(
    () => defineDag({ name: 'cyc', description: '', tasks: [task('a', ['c']), task('b', ['a']), task('c', ['b'])] }),
    /DAG "cyc": dependency cycle: a -> c -> b -> a/,
  );
  assert.throws(
    () => defineDag({ name: 'unk', description: '', tasks: [task('a', ['nope'])] }),
    /DAG "unk": "a" depends on "nope"/,
  );
});

test('one scheduled run per DAG and day; runs a dead process left running are failed', async () => {
  const s = await store();
  const sched = { ...newRun('d'), runType: 'scheduled' as const };
  assert.equal(await s.createRun(sched), true);
  assert.equal(await s.createRun({ ...sched, runId: 'other', runType: 'backfill' }), false);
  assert.equal(await s.createRun({ ...sched, runId: 'manual-same-day', runType: 'manual' }), true);
  await s.updateRun(sched.runId, { state: 'running' });
  await s.saveTask({ runId: sched.runId, task: 't', state: 'running', attempt: 1 });
  assert.deepEqual(await s.failOrphanedRuns('the process running it exited'), ['manual-same-day', sched.runId]);
  assert.equal((await s.getRun(sched.runId))?.state, 'failed');
  assert.equal((await s.tasks(sched.runId))[0]?.state, 'failed');
});

test('a run whose task states cannot be saved stops starting tasks and fails with the store error', async () => {
  const s = await store();
  const ran: string[] = [];
  const failing = Object.create(s) as typeof s;
  failing.saveTask = async (t) => {
    if (t.task === 'b' && t.state === 'running') throw new Error('state store went away');
    return s.saveTask(t);
  };
  // Long enough for the saves, which trail the tasks, to reach b's while b runs.
  const step = (name: string) => async () => {
    ran.push(name);
    await sleep(300);
  };
  const dag = defineDag({
    name: 'store_down',
    description: 'a chain of three',
    maxActiveTasks: 1,
    tasks: [task('a', [], step('a')), task('b', ['a'], step('b')), task('c', ['b'], step('c'))],
  });
  const run = newRun('store_down');
  await s.createRun(run);
  await assert.rejects(executeRun(dag, run, { store: failing }), /state store went away/);
  assert.ok(!ran.includes('c'), `stopped before the last task (ran ${ran.join(', ')})`);
});
