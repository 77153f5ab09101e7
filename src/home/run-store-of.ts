import type { DuckSession } from '../duck/index.ts';
import type { RunStore } from '../dag/index.ts';
import { DuckdbRunStore } from '../engines/duckdb/index.ts';
import { PostgresRunStore, PostgresStateDb } from '../engines/postgres/index.ts';

/** The run history kept in a state store: in PostgreSQL, or in the home's DuckDB file. */
export function runStoreOf(state: PostgresStateDb | DuckSession): RunStore {
  return state instanceof PostgresStateDb ? new PostgresRunStore(state) : new DuckdbRunStore(state);
}
