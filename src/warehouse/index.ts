export type { WarehouseAdapter, PublishRequest, PublishResult, TableLoad } from './warehouse-adapter.ts';
export type { WarehouseReader, QueryResult, TableColumn } from './warehouse-reader.ts';
export { WarehouseConfigSchema } from './warehouse-config.ts';
export type { WarehouseConfig } from './warehouse-config.ts';
