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
  run(tasks: readonly IngestTask[], onSettled: (s: TaskSettled) => Promise<void>, idleMs?: number): Promise<void>;
}
