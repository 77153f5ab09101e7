import type { DuckSession } from '../duck/index.ts';

/**
 * A warehouse takes the gold tables of a finished build and makes them visible all at
 * once. Every warehouse (embedded DuckDB now, PostgreSQL later) implements this shape.
 */
export interface PublishRequest {
  /** The build database holding the tables. */
  build: DuckSession;
  tables: readonly string[];
  runId: string;
  publishedAt: string;
  /** The last ledger sequence the build read: the live overlay starts after it. */
  builtThroughSeq?: number;
  /** Per table, from the model declarations: its key and the columns worth an index (foreign keys). */
  shapes?: Record<string, { key?: readonly string[]; indexes?: readonly string[] }>;
  /** Called after each table is in place (for progress). */
  onTable?: (table: string, rows: number) => void;
}

export interface PublishResult {
  tables: Array<{ table: string; rows: number }>;
  ms: number;
}

export interface WarehouseAdapter {
  readonly kind: string;
  publish(req: PublishRequest): Promise<PublishResult>;
}
