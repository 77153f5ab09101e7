import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckSession } from '../duck/index.ts';
import { STATE_MIGRATIONS } from './state-migrations.ts';

/** The state database of a home: ledger, runs, catalog, test results. Migrated on open. */
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

export async function getKv(db: DuckSession, key: string): Promise<string | undefined> {
  const row = await db.one<{ value: string }>('SELECT value FROM kv WHERE key = $key', { key });
  return row?.value;
}

export async function setKv(db: DuckSession, key: string, value: string): Promise<void> {
  await db.run('INSERT OR REPLACE INTO kv VALUES ($key, $value)', { key, value });
}
