import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { errorMessage, redactUrl, TransientError } from '../../errors/index.ts';
import type { IngestTask, IngestTaskResult } from './ingest-task.ts';
import type { TaskRunner, TaskSettled } from './task-runner.ts';

const QUEUE = 'shoplake-ingest';
const POLL_WINDOW = 32;

export interface IngestQueueOptions {
  /** The PostgreSQL database that holds the queue (the state store's). */
  url: string;
  /** The schema pg-boss keeps its tables in. */
  schema?: string;
  /** A task a worker has held this long is presumed lost (its worker dead) and handed to another. */
  taskTimeoutSeconds: number;
  /** Attempts of one task over all workers before it fails. */
  attempts: number;
  /** How often lost tasks are looked for, in seconds. */
  superviseSeconds?: number;
}


/**
 * Ingest tasks on a job queue in PostgreSQL (pg-boss): the run that owns the ledger
 * submits one task per landing file and collects the results; `shoplake worker`
 * processes on any machine take tasks and run them. A task whose worker dies is expired
 * after `taskTimeoutSeconds` and taken by another; pg-boss hands each attempt to one
 * worker only (row locks with SKIP LOCKED).
 */
export class IngestQueue implements TaskRunner {
  private constructor(private readonly boss: PgBoss, private readonly opts: IngestQueueOptions) {}

  static async open(opts: IngestQueueOptions): Promise<IngestQueue> {
    const boss = new PgBoss({
      connectionString: opts.url, schema: opts.schema ?? 'shoplake_queue', max: 4,
      supervise: true, maintenanceIntervalSeconds: opts.superviseSeconds ?? 10, schedule: false,
    });
    boss.on('error', () => undefined);
    try {
      await boss.start();
      if (!(await boss.getQueue(QUEUE))) await boss.createQueue(QUEUE).catch(async (err: unknown) => {
        // Two processes creating it at once: the other one won.
        if (!(await boss.getQueue(QUEUE))) throw err;
      });
    } catch (err) {
      await boss.stop({ graceful: false }).catch(() => undefined);
      throw new TransientError('queue_unavailable', `the task queue in ${redactUrl(opts.url)} is not reachable: ${errorMessage(err)}`, { subject: 'workers', hint: 'check state.url and that PostgreSQL is up', cause: err });
    }
    return new IngestQueue(boss, opts);
  }

  /**
   * Submits the tasks and calls `onSettled` as each one completes or fails for good (in
   * any order). Fails with `no_workers` when no worker has taken any task for `idleMs`.
   */
  async run(tasks: readonly IngestTask[], onSettled: (s: TaskSettled) => Promise<void>, idleMs = 60_000): Promise<void> {
    // In one insert per thousand tasks, with ids chosen here (pg-boss's insert returns none).
    // Rows of one insert share their creation time, so a falling priority keeps them taken in order.
    const open = new Map(tasks.map((task) => [randomUUID(), task]));
    const jobs = [...open].map(([id, task], i) => ({
      id, name: QUEUE, data: task, priority: tasks.length - i, expireInSeconds: this.opts.taskTimeoutSeconds, retryLimit: this.opts.attempts - 1, retryDelay: 1,
    }));
    for (let i = 0; i < jobs.length; i += 1000) await this.boss.insert(jobs.slice(i, i + 1000));
    let lastTaken = Date.now();
    while (open.size > 0) {
      await new Promise((r) => setTimeout(r, 200));
      // Workers take tasks oldest first and results are recorded in that order, so only the
      // oldest open tasks are worth asking about: a poll stays a few dozen lookups however
      // many files the run has.
      for (const [id, task] of [...open].slice(0, POLL_WINDOW)) {
        const job = await this.boss.getJobById<IngestTask>(QUEUE, id, { includeArchive: true });
        if (!job || job.state === 'created') continue;
        lastTaken = Date.now();
        if (job.state === 'completed') {
          open.delete(id);
          await onSettled({ task, ok: true, result: job.output as IngestTaskResult, attempts: job.retryCount + 1 });
        } else if (job.state === 'failed' || job.state === 'cancelled') {
          open.delete(id);
          await onSettled({ task, ok: false, error: failureMessage(job.output), code: 'worker_failed', attempts: job.retryCount + 1 });
        }
      }
      if (open.size > 0 && Date.now() - lastTaken > idleMs) {
        await this.boss.cancel(QUEUE, [...open.keys()]).catch(() => undefined);
        throw new TransientError('no_workers', `no worker took an ingest task for ${Math.round(idleMs / 1000)} s (${open.size} waiting)`, {
          subject: 'ingest', hint: 'start `shoplake worker --state <the state.url>` on a machine that sees the landing folder and the home, or set workers.enabled: false',
        });
      }
    }
  }

  /** The worker's side: take tasks one at a time per slot and run them, until stopped. */
  async work(concurrency: number, handler: (task: IngestTask) => Promise<IngestTaskResult>): Promise<void> {
    for (let i = 0; i < concurrency; i++) {
      let id = '';
      id = await this.boss.work<IngestTask>(QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        try {
          return await handler(job!.data);
        } finally {
          // pg-boss waits out the rest of its polling interval after every job, even with
          // more queued: half a second lost per small file. A notified worker fetches at once.
          this.boss.notifyWorker(id);
        }
      });
    }
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 }).catch(() => undefined);
  }
}

function failureMessage(output: unknown): string {
  if (output && typeof output === 'object' && 'message' in output) return String((output as { message: unknown }).message);
  return output ? JSON.stringify(output) : 'the task failed';
}
