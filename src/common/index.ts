export { topologicalOrder } from './graph.ts';
export type { GraphNode } from './graph.ts';
export type { ProgressEvent, ProgressSink } from './progress-event.ts';
export { throttle } from './throttle.ts';
export { describeIssues } from './issue-location.ts';
export type { FieldIssue, LocatedSource } from './issue-location.ts';
export { selectNodes } from './select-nodes.ts';
