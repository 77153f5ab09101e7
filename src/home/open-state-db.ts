import type { DuckSession } from '../duck/index.ts';
import { PostgresStateDb } from '../engines/postgres/index.ts';

/** The state store `state.url` names: the home's DuckDB state file (`duckdb`) or PostgreSQL. */
export async function openStateDb(url: string, local: DuckSession): Promise<PostgresStateDb | DuckSession> {
  return url === 'duckdb' ? local : PostgresStateDb.connect(url);
}
