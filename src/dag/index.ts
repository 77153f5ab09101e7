export { defineDag } from './dag-definition.ts';
export type {
  Dag,
  DagSpec,
  TaskSpec,
  TaskContext,
  TaskState,
  RunState,
  RunInfo,
  RunResources,
} from './dag-definition.ts';
export { executeRun } from './dag-executor.ts';
export type { RunStore, RunFilter, DagRunRecord, TaskInstanceRecord, TaskLogLine, RunType } from './run-store.ts';
export { retryPolicy, retryDelay, NO_RETRY } from './retry-policy.ts';
export type { RetryPolicy } from './retry-policy.ts';
export { dueLogicalDates, parseSchedule } from './due-logical-dates.ts';
export { daysBetween, planBackfill } from './backfill-plan.ts';
export type { BackfillItem, Reprocess } from './backfill-plan.ts';
export { loadDagFiles } from './load-dag-files.ts';
export type { DagFileContext } from './load-dag-files.ts';
export { datasetConsumers } from './dataset-consumers.ts';
export { SlaTimers } from './sla-timers.ts';
export { DagFilesSchema } from './dag-files-config.ts';
