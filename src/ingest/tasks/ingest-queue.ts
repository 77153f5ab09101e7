import { TransientError } from '../../errors/index.ts';
import type { JobQueue } from '../../state/index.ts';
import type { IngestTask, IngestTaskResult } from './ingest-task.ts';
import type { TaskRunner, TaskRunOptions, TaskSettled } from './task-runner.ts';

const QUEUE = 'shoplake-ingest';

/**
 * Ingest tasks on the job queue in PostgreSQL: the run that owns the ledger submits one
 * task per landing file and collects the results; `shoplake worker` processes on any
 * machine take tasks and run them.
 */
export class IngestQueue implements TaskRunner {
  constructor(private readonly jobs: JobQueue) {}

  /**
   * Submits the tasks and calls `onSettled` as each one completes or fails for good (in
   * any order). Fails with `no_workers` when no worker has taken any task for `idleMs`.
   */
  async run(
    tasks: readonly IngestTask[],
    onSettled: (s: TaskSettled) => Promise<void>,
    opts: TaskRunOptions = {},
  ): Promise<void> {
    const idleMs = opts.idleMs ?? 60_000;
    await this.jobs.run<IngestTask, IngestTaskResult>(
      QUEUE,
      tasks,
      (s) =>
        onSettled(
          s.ok
            ? { task: s.data, ok: true, result: s.output, attempts: s.attempts }
            : { task: s.data, ok: false, error: s.error, code: 'worker_failed', attempts: s.attempts },
        ),
      {
        ms: idleMs,
        error: (waiting) =>
          new TransientError(
            'no_workers',
            `no worker took an ingest task for ${Math.round(idleMs / 1000)} s (${waiting} waiting)`,
            {
              subject: 'ingest',
              hint:
                'start `shoplake worker --state <the state.url>` on a machine that ' +
                'sees the landing folder and the home, or set workers.enabled: false',
            },
          ),
      },
      opts.signal,
    );
  }

  /** The worker's side: take tasks one at a time per slot and run them, until the queue is closed. */
  work(concurrency: number, handler: (task: IngestTask) => Promise<IngestTaskResult>): Promise<void> {
    return this.jobs.work(QUEUE, concurrency, handler);
  }
}
