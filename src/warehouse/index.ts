export { DuckdbWarehouse } from './duckdb-warehouse.ts';
export type { WarehouseAdapter, PublishRequest, PublishResult, TableLoad } from './warehouse-adapter.ts';
export { applyLiveOverlay, attachWarehouse, readLiveManifest, writeLiveManifest, liveFiles } from './live-overlay.ts';
export type { LiveManifest } from './live-overlay.ts';
export { PostgresWarehouse } from './postgres-warehouse.ts';
export { liveSchemaOf, PostgresLiveOverlay, type LiveChange, type LiveSync } from './postgres-live-overlay.ts';
