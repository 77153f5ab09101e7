import type { Params } from '../duck/index.ts';

export interface QueryResult {
  columns: Array<{ name: string; type: string }>;
  rows: Array<Record<string, unknown>>;
  truncated: boolean;
}

export interface TableColumn {
  table_name: string;
  column_name: string;
  data_type: string;
}

/**
 * The published gold as the web app and `shoplake query` read it: the embedded DuckDB
 * warehouse (with the live overlay) or a PostgreSQL one. Queries shoplake writes use a
 * dialect both understand and `$name` parameters; the console's SQL is the user's, in the
 * warehouse's own dialect, and may only read.
 */
export interface WarehouseReader {
  readonly kind: 'duckdb' | 'postgres';
  /** Rows of a query shoplake itself wrote (values bound as parameters). */
  all<T extends object>(sql: string, params?: Params): Promise<T[]>;
  /** A user's SQL: exactly one statement that reads; anything else is refused before it runs. */
  userQuery(sql: string, maxRows: number): Promise<QueryResult>;
  /** Every published table's columns, in order. */
  columns(): Promise<TableColumn[]>;
  close(): Promise<void>;
}
