export { PostgresStateDb } from './postgres-state-db.ts';
export { claimStateOwnership } from './state-owner-lock.ts';
export type { StateOwnerLock } from './state-owner-lock.ts';
export { PostgresRunStore } from './postgres-run-store.ts';
export { PostgresWarehouse } from './postgres-warehouse.ts';
export type { PostgresWarehouseOptions } from './postgres-warehouse.ts';
export { PostgresWarehouseReader } from './postgres-warehouse-reader.ts';
export { liveSchemaOf, PostgresLiveOverlay } from './postgres-live-overlay.ts';
