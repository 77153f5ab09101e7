import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { JobNotifier } from './job-notifier.ts';
import { errorMessage, redactUrl, TransientError } from '../errors/index.ts';

const POLL_WINDOW = 32;

export interface JobQueueOptions {
  /** The PostgreSQL database that holds the queues (the state store's). */
  url: string;
  /** The schema pg-boss keeps its tables in. */
  schema?: string;
  /** A job a worker has held this long is presumed lost (its worker dead) and handed to another. */
  taskTimeoutSeconds: number;
  /** Attempts of one job over all workers before it fails. */
  attempts: number;
  /** How often lost jobs are looked for, in seconds. */
  superviseSeconds?: number;
}

/** One job's end: its output (an object: pg-boss wraps any other value), or its error after every attempt. */
export type JobSettled<T, R> =
  { data: T; ok: true; output: R; attempts: number } | { data: T; ok: false; error: string; attempts: number };

/**
 * Named job queues in PostgreSQL (pg-boss): the process that owns a run submits jobs and
 * collects their outputs; `shoplake worker` processes on any machine take jobs and run
 * them. A job whose worker dies is expired after `taskTimeoutSeconds` and taken by
 * another; pg-boss hands each attempt to one worker only (row locks with SKIP LOCKED).
 */
export class JobQueue {
  private readonly created = new Set<string>();

  private constructor(
    private readonly boss: PgBoss,
    private readonly opts: JobQueueOptions,
    private readonly notifier: JobNotifier | undefined,
  ) {}

  static async open(opts: JobQueueOptions): Promise<JobQueue> {
    const schema = opts.schema ?? 'shoplake_queue';
    const boss = new PgBoss({
      connectionString: opts.url,
      schema,
      max: 4,
      supervise: true,
      maintenanceIntervalSeconds: opts.superviseSeconds ?? 10,
      schedule: false,
    });
    boss.on('error', () => undefined);
    try {
      await boss.start();
    } catch (err) {
      await boss.stop({ graceful: false }).catch(() => undefined);
      throw new TransientError(
        'queue_unavailable',
        `the task queue in ${redactUrl(opts.url)} is not reachable: ${errorMessage(err)}`,
        { subject: 'workers', hint: 'check state.url and that PostgreSQL is up', cause: err },
      );
    }
    return new JobQueue(boss, opts, await JobNotifier.open(opts.url, schema));
  }

  /**
   * Submits `jobs` to `queue` and calls `onSettled` as each completes or fails for good (in
   * any order, one call at a time). Throws `idle()` when no worker has taken any of them for
   * `idleMs`, and the abort reason once `signal` aborts (a task timeout): either way the
   * jobs not settled yet are cancelled, so no worker takes them after the run gave up.
   */
  async run<T extends object, R extends object>(
    queue: string,
    jobs: readonly T[],
    onSettled: (s: JobSettled<T, R>) => Promise<void>,
    idle: { ms: number; error: (waiting: number) => Error },
    signal?: AbortSignal,
  ): Promise<void> {
    signal?.throwIfAborted();
    await this.ensure(queue);
    // In one insert per thousand jobs, with ids chosen here (pg-boss's insert returns none).
    // Rows of one insert share their creation time, so a falling priority keeps them taken in order.
    const open = new Map(jobs.map((data) => [randomUUID(), data]));
    const rows = [...open].map(([id, data], i) => ({
      id,
      name: queue,
      data,
      priority: jobs.length - i,
      expireInSeconds: this.opts.taskTimeoutSeconds,
      retryLimit: this.opts.attempts - 1,
      retryDelay: 1,
    }));
    // Watched from before the insert: a worker may settle a job before the insert returns.
    const settled = this.notifier?.watch(queue, 'settled');
    try {
      for (let i = 0; i < rows.length; i += 1000) await this.boss.insert(rows.slice(i, i + 1000));
      await this.notifier?.notify(queue, 'created');
      await this.collect(
        queue,
        open,
        onSettled,
        idle,
        settled?.wait ?? ((ms) => new Promise((r) => setTimeout(() => r(undefined), ms))),
        signal,
      );
    } finally {
      settled?.stop();
    }
  }

  /**
   * Looks up open jobs until each is settled: those a worker says it settled as soon as it
   * says so, and every 200 ms the oldest open ones (a job that failed, or one whose
   * notification was lost).
   */
  private async collect<T extends object, R extends object>(
    queue: string,
    open: Map<string, T>,
    onSettled: (s: JobSettled<T, R>) => Promise<void>,
    idle: { ms: number; error: (waiting: number) => Error },
    wait: (ms: number) => Promise<string[] | undefined>,
    signal?: AbortSignal,
  ): Promise<void> {
    let lastTaken = Date.now();
    let lastPoll = Date.now();
    while (open.size > 0) {
      const settled = (await wait(Math.max(0, lastPoll + 200 - Date.now()))) ?? [];
      if (signal?.aborted) {
        await this.boss.cancel(queue, [...open.keys()]).catch(() => undefined);
        signal.throwIfAborted();
      }
      // Workers take jobs oldest first, so only the oldest open ones are worth asking
      // about: a poll stays a few dozen lookups however many jobs the run has.
      const polled = Date.now() - lastPoll >= 200 ? [...open.keys()].slice(0, POLL_WINDOW) : [];
      if (polled.length) lastPoll = Date.now();
      for (const id of new Set([...settled.filter((s) => open.has(s)), ...polled])) {
        const data = open.get(id)!;
        const job = await this.boss.getJobById<T>(queue, id, { includeArchive: true });
        if (!job || job.state === 'created') continue;
        lastTaken = Date.now();
        if (job.state === 'completed') {
          open.delete(id);
          await onSettled({ data, ok: true, output: job.output as R, attempts: job.retryCount + 1 });
        } else if (job.state === 'failed' || job.state === 'cancelled') {
          open.delete(id);
          await onSettled({ data, ok: false, error: failureMessage(job.output), attempts: job.retryCount + 1 });
        }
      }
      if (open.size > 0 && Date.now() - lastTaken > idle.ms) {
        await this.boss.cancel(queue, [...open.keys()]).catch(() => undefined);
        throw idle.error(open.size);
      }
    }
  }

  /** The worker's side: take jobs of `queue` one at a time per slot and run them, until closed. */
  async work<T extends object, R extends object>(
    queue: string,
    concurrency: number,
    handler: (data: T) => Promise<R>,
  ): Promise<void> {
    await this.ensure(queue);
    for (let i = 0; i < concurrency; i++) {
      let id = '';
      id = await this.boss.work<T>(queue, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        try {
          const output = await handler(job!.data);
          // Completed here rather than by pg-boss after the return (its own complete then finds
          // the job done and changes nothing), so the run can be told it is settled.
          await this.boss.complete(queue, job!.id, output);
          await this.notifier?.notify(queue, 'settled', job!.id);
          return output;
        } finally {
          // pg-boss waits out the rest of its polling interval after every job, even with
          // more queued: half a second lost per small file. A notified worker fetches at once.
          this.boss.notifyWorker(id);
        }
      });
      // A job submitted while this one waits out its poll is fetched at once.
      this.notifier?.subscribe((q, event) => {
        if (q === queue && event === 'created') this.boss.notifyWorker(id);
      });
    }
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 }).catch(() => undefined);
    await this.notifier?.close();
  }

  private async ensure(queue: string): Promise<void> {
    if (this.created.has(queue)) return;
    // Workers starting together create the same queue at once, and PostgreSQL may end one
    // of them as a deadlock victim: that one looks again after a moment, and finds the
    // queue the other created.
    for (let attempt = 1; !(await this.boss.getQueue(queue)); attempt++) {
      try {
        await this.boss.createQueue(queue);
      } catch (err) {
        if (attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 200 * attempt));
      }
    }
    this.created.add(queue);
  }
}

function failureMessage(output: unknown): string {
  if (output && typeof output === 'object' && 'message' in output)
    return String((output as { message: unknown }).message);
  return output ? JSON.stringify(output) : 'the job failed';
}
