export { openStateStore, openStateDb, getKv, setKv } from './state-store.ts';
export type { StateDb, StateParams } from './state-db.ts';
export { PostgresStateDb } from './postgres-state-db.ts';
export { claimStateOwnership } from './state-owner-lock.ts';
export type { StateOwnerLock } from './state-owner-lock.ts';
export { JobQueue } from './job-queue.ts';
export { JobNotifier } from './job-notifier.ts';
export type { JobQueueOptions, JobSettled } from './job-queue.ts';
