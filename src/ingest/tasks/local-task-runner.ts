import { errorMessage, ShoplakeError } from '../../errors/index.ts';
import type { DuckSession } from '../../duck/index.ts';
import { runIngestTask, type IngestTask } from './ingest-task.ts';
import type { TaskRunner, TaskRunOptions, TaskSettled } from './task-runner.ts';

export interface LocalTaskRunnerOptions {
  db: DuckSession;
  concurrency: number;
  attempts: number;
  retryDelay: (attempt: number) => number;
  scratchDir: string;
}

/**
 * Ingest tasks in this process, `concurrency` files at a time, each on a DuckDB connection
 * of its own (staging tables are per connection). Two at once keep both cores busy through
 * the single-threaded stretches of one file (hashing and inflating, the JSON key pass,
 * small statements). The largest files go first, so the run does not end on one big file
 * with the other core idle (results are recorded in ledger order whatever the order of
 * work). A failing task is tried again after `retryDelay`; reports are delivered one at a time.
 */
export class LocalTaskRunner implements TaskRunner {
  constructor(private readonly opts: LocalTaskRunnerOptions) {}

  async run(
    tasks: readonly IngestTask[],
    onSettled: (s: TaskSettled) => Promise<void>,
    opts: TaskRunOptions = {},
  ): Promise<void> {
    const { signal } = opts;
    const queue = [...tasks].sort((a, b) => workOf(b) - workOf(a));
    let next = 0;
    let reports: Promise<void> = Promise.resolve();
    const slot = async (): Promise<void> => {
      const conn = await this.opts.db.fork();
      const onAbort = () => conn.interrupt();
      signal?.addEventListener('abort', onAbort);
      try {
        while (next < queue.length && !signal?.aborted) {
          const settled = await this.attempt(queue[next++]!, conn, signal);
          reports = reports.then(() => onSettled(settled));
          await reports;
        }
      } finally {
        signal?.removeEventListener('abort', onAbort);
        await conn.close();
      }
    };
    // Every slot ends before this returns or throws: none goes on writing after an abort.
    const slots = await Promise.allSettled(
      Array.from({ length: Math.max(1, Math.min(this.opts.concurrency, tasks.length)) }, slot),
    );
    await reports;
    signal?.throwIfAborted();
    for (const s of slots) if (s.status === 'rejected') throw s.reason;
  }

  private async attempt(task: IngestTask, conn: DuckSession, signal: AbortSignal | undefined): Promise<TaskSettled> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { task, ok: true, result: await runIngestTask(task, conn, this.opts.scratchDir), attempts: attempt };
      } catch (err) {
        // An interrupted file is no failed file: it is left for the next run, not dead-lettered.
        signal?.throwIfAborted();
        // Not the file's fault (bad data is quarantined, not thrown): the disk, the mount,
        // the engine. Tried again; after the last attempt, reported with its error.
        if (attempt >= this.opts.attempts) {
          const code =
            err instanceof ShoplakeError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'ingest_error');
          return { task, ok: false, error: errorMessage(err), code, attempts: attempt };
        }
        await new Promise((r) => setTimeout(r, this.opts.retryDelay(attempt)));
      }
    }
  }
}

/**
 * A file's expected work, for ordering only: its bytes, gzip's counted as the text they inflate to (about six times).
 */
function workOf(task: IngestTask): number {
  return task.file.size * (/\.gz$/i.test(task.file.rel) ? 6 : 1);
}
