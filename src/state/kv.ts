import type { StateDb } from './state-db.ts';

/** A value the state store keeps under a name (cursors, the published sequence, the last quality report). */
export async function getKv(db: StateDb, key: string): Promise<string | undefined> {
  const row = await db.one<{ value: string }>('SELECT value FROM kv WHERE key = $key', { key });
  return row?.value;
}

export async function setKv(db: StateDb, key: string, value: string): Promise<void> {
  await db.run('INSERT INTO kv VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value', {
    key,
    value,
  });
}

export async function deleteKv(db: StateDb, key: string): Promise<void> {
  await db.run('DELETE FROM kv WHERE key = $key', { key });
}
