import type { SqlSession } from '../duck/index.ts';

/**
 * A warehouse takes the gold tables of a finished build and makes them visible all at
 * once. Every warehouse (embedded DuckDB, PostgreSQL) implements this shape.
 */
export interface PublishRequest {
  /** The build database holding the tables. */
  build: SqlSession;
  tables: readonly string[];
  runId: string;
  publishedAt: string;
  /** The last ledger sequence the build read: the live overlay starts after it. */
  builtThroughSeq?: number;
  /**
   * Per table, from the model declarations: its key, the columns worth an index (foreign
   * keys) and the column its rows are partitioned by (facts), for warehouses that load
   * incrementally.
   */
  shapes?: Record<string, { key?: readonly string[]; indexes?: readonly string[]; partitionBy?: string }>;
  /**
   * Called after each table is in place (for progress), with the
   * ms it took (tables a warehouse loads side by side overlap).
   */
  onTable?: (table: string, rows: number, ms: number) => void;
  /** Called when readers see the new gold, by a warehouse that has work left after that (PostgreSQL's indexes). */
  onVisible?: () => void;
}

export interface PublishResult {
  /**
   * Rows of each table as published; `load` says how a warehouse that loads incrementally
   * got there: rows shipped, and for facts how many partitions were replaced or removed.
   */
  tables: Array<{ table: string; rows: number; load?: TableLoad }>;
  ms: number;
  /**
   * When readers saw the new gold, for a warehouse that finishes
   * work after that (PostgreSQL builds indexes); `ms` otherwise.
   */
  visibleMs?: number;
}

export interface WarehouseAdapter {
  readonly kind: string;
  publish(req: PublishRequest): Promise<PublishResult>;
}

export interface TableLoad {
  kind: 'full' | 'partitions' | 'merge';
  /** Rows sent to the warehouse. */
  shipped: number;
  /** Merges: rows the warehouse inserted, updated or deleted (unchanged rows are left alone). */
  changed?: number;
  partitions?: { replaced: number; removed: number; unchanged: number };
  reason?: string;
}
