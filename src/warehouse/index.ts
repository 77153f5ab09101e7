export { DuckdbWarehouse } from './duckdb-warehouse.ts';
export type { WarehouseAdapter, PublishRequest, PublishResult } from './warehouse-adapter.ts';
