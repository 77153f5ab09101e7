export { openStateStore } from './duckdb-state-db.ts';
export { DuckdbRunStore } from './duckdb-run-store.ts';
export { DuckdbWarehouse } from './duckdb-warehouse.ts';
export { DuckdbWarehouseReader } from './duckdb-warehouse-reader.ts';
