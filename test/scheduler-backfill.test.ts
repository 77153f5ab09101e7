import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defineDag, type Dag } from '../src/dag/index.ts';
import { Orchestrator, Scheduler } from '../src/home/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

/** Small DAGs beside `daily`: one on a schedule, one started when the first refreshes its dataset. */
function testDags(log: string[]): Dag<unknown>[] {
  return [
    defineDag({
      name: 'nightly',
      description: 'a scheduled DAG that refreshes a dataset',
      schedule: '0 2 * * *',
      catchup: true,
      tasks: [
        {
          name: 'work',
          dependsOn: [],
          run: async (ctx) => {
            log.push(`nightly ${ctx.logicalDate}`);
            return { datasets: ['gold.nightly_table'] };
          },
        },
      ],
    }),
    defineDag({
      name: 'downstream',
      description: 'runs when nightly_table refreshes',
      consumes: ['gold.*'],
      tasks: [
        {
          name: 'read',
          dependsOn: [],
          run: async (ctx) => void log.push(`downstream ${ctx.logicalDate} after ${String(ctx.conf['upstreamRun'])}`),
        },
      ],
    }),
  ];
}

async function open(root: string, log: string[]) {
  const landing = join(root, 'landing');
  await mkdir(landing, { recursive: true });
  return Orchestrator.open({ purpose: 'test', home: join(root, 'home'), landing, extraDags: () => testDags(log) });
}

/** Until nothing is queued or running (a finished run may queue a data-aware one). */
async function drain(o: Orchestrator): Promise<void> {
  for (;;) {
    const open = (await o.store.listRuns({ limit: 1000 })).filter((r) => r.state === 'queued' || r.state === 'running');
    if (open.length === 0) return;
    for (const r of open) await o.waitFor(r.runId);
  }
}

test(
  'the scheduler catches up missed days once, a restart or ' +
    'second tick adds nothing, and a backfill fills only the gaps',
  async () => {
    const root = await tempDir('sched');
    const log: string[] = [];
    let now = new Date('2024-03-05T03:00:00Z');
    let o = await open(root, log);
    const nightly = o.dag('nightly');
    let scheduler = new Scheduler(o, { maxCatchupRuns: 31, now: () => now });

    // Never ran: only the interval that just closed.
    assert.deepEqual(
      (await scheduler.tick(nightly)).map((r) => r.logicalDate),
      ['2024-03-04'],
    );
    await drain(o);
    // Three days pass with the process down; on restart the missed days are caught up, once.
    await o.close();
    now = new Date('2024-03-08T02:30:00Z');
    o = await open(root, log);
    scheduler = new Scheduler(o, { maxCatchupRuns: 31, now: () => now });
    assert.deepEqual(
      (await scheduler.tick(o.dag('nightly'))).map((r) => r.logicalDate),
      ['2024-03-05', '2024-03-06', '2024-03-07'],
    );
    assert.deepEqual(await scheduler.tick(o.dag('nightly')), []);
    await drain(o);

    // A backfill over March 1-7 queues only the days without a run; then the schedule owes nothing.
    const items = await o.backfill('nightly', { from: '2024-03-01', to: '2024-03-07' });
    assert.deepEqual(
      items.map((i) => i.action),
      ['queue', 'queue', 'queue', 'keep', 'keep', 'keep', 'keep'],
    );
    await drain(o);
    assert.deepEqual(await scheduler.tick(o.dag('nightly')), []);

    const runs = await o.store.listRuns({ dag: 'nightly', limit: 100, order: 'oldest' });
    assert.deepEqual(runs.map((r) => r.logicalDate).sort(), [
      '2024-03-01',
      '2024-03-02',
      '2024-03-03',
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
      '2024-03-07',
    ]);
    assert.ok(runs.every((r) => r.state === 'success'));
    assert.deepEqual(runs.map((r) => r.runType).sort(), [...Array(3).fill('backfill'), ...Array(4).fill('scheduled')]);

    // A deliberate reprocess runs the chosen days again; the same day is never queued twice at once.
    const again = await o.backfill('nightly', { from: '2024-03-06', to: '2024-03-07', reprocess: 'all' });
    assert.deepEqual(
      again.map((i) => i.action),
      ['rerun', 'rerun'],
    );
    const busy = await o.backfill('nightly', { from: '2024-03-07', to: '2024-03-07', reprocess: 'all' });
    assert.deepEqual(
      busy.map((i) => i.action),
      ['busy'],
    );
    await drain(o);
    await assert.rejects(
      o.trigger('nightly', { logicalDate: '2024-03-04', runType: 'scheduled' }),
      (e: Error & { code?: string }) => e.code === 'run_exists',
    );

    // Every successful nightly run refreshed gold.*, so downstream ran once per nightly run, for its day.
    const nightlyRuns = (await o.store.listRuns({ dag: 'nightly', limit: 100 })).length;
    const downstream = await o.store.listRuns({ dag: 'downstream', limit: 100 });
    assert.equal(downstream.length, nightlyRuns);
    assert.ok(downstream.every((r) => r.runType === 'dataset' && r.state === 'success'));
    assert.ok(
      log.includes(
        'downstream 2024-03-01 after ' +
          String(downstream.find((r) => r.logicalDate === '2024-03-01')?.conf['upstreamRun']),
      ),
    );
    await o.close();
  },
);

test(
  'runs queued when the process stopped are run after a restart; ' + 'ones left running are failed, never stuck',
  async () => {
    const root = await tempDir('resume');
    const log: string[] = [];
    const o = await open(root, log);
    const running = await o.store.createRun({
      runId: 'dead-running',
      dag: 'nightly',
      logicalDate: '2024-01-01',
      runType: 'manual',
      state: 'running',
      conf: {},
      queuedAt: new Date().toISOString(),
    });
    assert.ok(running);
    await o.close();
    // A queued run written by a process that died before it started it.
    const o2 = await open(root, log);
    await o2.store.createRun({
      runId: 'left-queued',
      dag: 'nightly',
      logicalDate: '2024-01-02',
      runType: 'manual',
      state: 'queued',
      conf: {},
      queuedAt: new Date().toISOString(),
    });
    assert.equal((await o2.store.getRun('dead-running'))?.state, 'failed');
    assert.equal((await o2.store.getRun('dead-running'))?.error?.code, 'run_orphaned');
    o2.kick();
    assert.equal((await o2.waitFor('left-queued')).state, 'success');
    await o2.close();
  },
);
