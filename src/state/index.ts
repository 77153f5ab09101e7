export { getKv, setKv, deleteKv } from './kv.ts';
export type { StateDb, StateParams } from './state-db.ts';
export { JobQueue } from './job-queue.ts';
export { JobNotifier } from './job-notifier.ts';
export type { JobQueueOptions, JobSettled } from './job-queue.ts';
export { StateConfigSchema } from './state-config.ts';
export type { StateConfig } from './state-config.ts';
