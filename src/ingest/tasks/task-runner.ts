import type { IngestTask, IngestTaskResult } from './ingest-task.ts';

/** One task's end: its result, or its error after every attempt. */
export type TaskSettled =
  | { task: IngestTask; ok: true; result: IngestTaskResult; attempts: number }
  | { task: IngestTask; ok: false; error: string; code: string; attempts: number };

/**
 * Runs ingest tasks somewhere and reports each one as it settles, one report at a time:
 * in this process (`LocalTaskRunner`) or on worker processes (`IngestQueue`).
 */
export interface TaskRunner {
  /**
   * Settles every task, or throws once `signal` aborts: tasks not settled by then are
   * neither reported nor left running, and are ingested by a later run.
   */
  run(tasks: readonly IngestTask[], onSettled: (s: TaskSettled) => Promise<void>, opts?: TaskRunOptions): Promise<void>;
}

export interface TaskRunOptions {
  /** On workers: fail when no worker has taken a task for this long, in ms. */
  idleMs?: number | undefined;
  /** Aborts the run (the ingest task's timeout). */
  signal?: AbortSignal | undefined;
}
