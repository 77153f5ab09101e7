export { PipelineRun } from './pipeline-run.ts';
export { dailyDag } from './daily-dag.ts';
export type { RunOptions } from './run-options.ts';
export type { RunSummary } from './run-summary.ts';
export type { StageStats } from './stage-timer.ts';
export { RunSummaries } from './run-summaries.ts';
export type { RunSummaryRow } from './run-summaries.ts';
export { WorkersConfigSchema } from './workers-config.ts';
export type { WorkersConfig } from './workers-config.ts';
