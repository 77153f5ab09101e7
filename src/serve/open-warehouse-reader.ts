import type { WarehouseConfig } from '../warehouse/index.ts';
import { LakeLayout } from '../lake/index.ts';
import { DuckdbWarehouseReader } from '../engines/duckdb/index.ts';
import { PostgresWarehouseReader } from '../engines/postgres/index.ts';
import type { WarehouseReader } from '../warehouse/index.ts';

/** Readers use the PostgreSQL warehouse: one is configured and `warehouse.read` is `auto`. */
export function readsPostgres(config: { warehouse: WarehouseConfig }): boolean {
  return config.warehouse.read === 'auto' && config.warehouse.url !== 'duckdb';
}

/** The warehouse the config says readers use (`warehouse.read`). */
export function openWarehouseReader(config: { home: string; warehouse: WarehouseConfig }): WarehouseReader {
  const { url, schema } = config.warehouse;
  if (readsPostgres(config)) return new PostgresWarehouseReader({ url, schema });
  const layout = new LakeLayout(config.home);
  return new DuckdbWarehouseReader(layout.warehouseDb, layout.live);
}
