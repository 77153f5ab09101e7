import { hostname } from 'node:os';
import pg from 'pg';
import { TransientError } from '../errors/index.ts';
import type { PostgresStateDb } from './postgres-state-db.ts';

export interface StateOwnerLock {
  release(): Promise<void>;
}

/**
 * Makes this process the one owner of a PostgreSQL state store, as the home lock does
 * for a home's files: two homes (or two machines) pointed at one state schema would hand
 * out the same ledger numbers and fail each other's running runs on start. The claim is
 * a session advisory lock on a connection of its own, so PostgreSQL drops it when the
 * process dies; who holds it is written beside it for the message the next claimant gets.
 */
export async function claimStateOwnership(state: PostgresStateDb, who: { home: string; purpose: string }): Promise<StateOwnerLock> {
  const client = new pg.Client({ connectionString: state.url });
  // Losing this connection loses the claim; the process goes on and PostgreSQL lets the next owner in.
  client.on('error', () => undefined);
  await client.connect();
  const key = `${state.schema}:owner`;
  try {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key]);
    if (!rows[0]?.ok) {
      const raw = await state.scalar<string | undefined>("SELECT value FROM kv WHERE key = 'owner'");
      const holder = raw ? (JSON.parse(raw) as { home: string; host: string; pid: number; purpose: string; since: string }) : undefined;
      throw new TransientError('state_locked', `the state store (schema ${state.schema}) is owned by another shoplake process${holder ? `: ${holder.purpose} of home ${holder.home} on ${holder.host} (pid ${holder.pid}) since ${holder.since}` : ''}`, {
        subject: state.schema, hint: 'one home per state schema: wait for that process, or give this home a schema of its own (state.url …?schema=name)',
      });
    }
    const holder = { home: who.home, host: hostname(), pid: process.pid, purpose: who.purpose, since: new Date().toISOString() };
    await state.run("INSERT INTO kv VALUES ('owner', $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value", { value: JSON.stringify(holder) });
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return {
    release: async () => {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
