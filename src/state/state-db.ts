/** Values a state statement binds: state rows hold text, numbers, flags and nulls only. */
export type StateParams = Record<string, string | number | boolean | null>;

/**
 * The state store as its users see it: the file ledger, catalog, run summaries, data-test
 * results, dead letters and key-value state, queried in SQL both engines accept (named
 * `$params`, no engine-specific functions). The home's DuckDB state file implements it
 * (`DuckSession`), and so does PostgreSQL (`PostgresStateDb`), which returns rows in the
 * same shapes: BIGINTs as strings, timestamps and JSON as text.
 */
export interface StateDb {
  run(sql: string, params?: StateParams): Promise<void>;
  all<T extends object = Record<string, unknown>>(sql: string, params?: StateParams): Promise<T[]>;
  one<T extends object = Record<string, unknown>>(sql: string, params?: StateParams): Promise<T | undefined>;
  scalar<T = unknown>(sql: string, params?: StateParams): Promise<T>;
  /** All of `work` commits or none of it; a transaction begun inside another joins it. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
