import type { DuckSession } from '../duck/index.ts';
import { PostgresStateDb } from '../state/index.ts';
import { DuckdbRunStore } from './duckdb-run-store.ts';
import { PostgresRunStore } from './postgres-run-store.ts';
import type { RunStore } from './run-store.ts';

/** The run history kept in a state store: in PostgreSQL, or in the home's DuckDB file. */
export function runStoreOf(state: PostgresStateDb | DuckSession): RunStore {
  return state instanceof PostgresStateDb ? new PostgresRunStore(state) : new DuckdbRunStore(state);
}
