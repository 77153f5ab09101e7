import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckSession } from '../../duck/index.ts';
import { STATE_MIGRATIONS } from './duckdb-state-migrations.ts';

/**
 * The home's DuckDB state file: ledger, runs, catalog, test results. Migrated on open.
 * It is also the process's DuckDB for ingest work and keeps the stream identities, so a
 * home has it even when the state store proper lives in PostgreSQL.
 */
export async function openStateStore(path: string): Promise<DuckSession> {
  await mkdir(dirname(path), { recursive: true });
  const db = await DuckSession.open(path);
  await db.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)');
  const applied = Number((await db.scalar('SELECT coalesce(max(version), 0) FROM schema_migrations')) ?? 0);
  for (let v = applied + 1; v <= STATE_MIGRATIONS.length; v++) {
    await db.transaction(async () => {
      await db.run(STATE_MIGRATIONS[v - 1]!);
      await db.run('INSERT INTO schema_migrations VALUES ($v, now())', { v });
    });
  }
  return db;
}
