export { runPipeline } from './run-pipeline.ts';
export type { RunOptions, RunSummary } from './run-pipeline.ts';
export { topologicalOrder } from './graph.ts';
export type { GraphNode } from './graph.ts';
export { acquireHomeLock, readHolder } from './home-lock.ts';
export type { ProgressEvent, ProgressSink } from './progress-event.ts';
export type { StageStats } from './stage-timer.ts';
