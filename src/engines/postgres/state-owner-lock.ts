import { hostname } from 'node:os';
import pg from 'pg';
import { errorMessage, TransientError } from '../../errors/index.ts';
import { getKv, setKv } from '../../state/index.ts';
import type { PostgresStateDb } from './postgres-state-db.ts';

export interface StateOwnerLock {
  release(): Promise<void>;
  /** Set once the claim went to another process while this one's connection was down: this process must stop. */
  readonly lost: TransientError | undefined;
}

export interface ClaimOptions {
  home: string;
  purpose: string;
  /** Called once when the claim is lost to another process. */
  onLost?: (err: TransientError) => void;
}

/** Between attempts to claim again after the lock's connection dropped. */
const RECLAIM_EVERY_MS = 1000;

/**
 * Makes this process the one owner of a PostgreSQL state store, as the home lock does
 * for a home's files: two homes (or two machines) pointed at one state schema would hand
 * out the same ledger numbers and fail each other's running runs on start. The claim is
 * a session advisory lock on a connection of its own, so PostgreSQL drops it when the
 * process dies; who holds it is written beside it for the message the next claimant gets.
 *
 * The lock lives only as long as its connection: when that drops (a PostgreSQL restart, a
 * network cut) the claim is made again on a new connection until it holds. If another
 * process took it in between, the claim is lost: `lost` says so and `onLost` is called.
 */
export async function claimStateOwnership(state: PostgresStateDb, opts: ClaimOptions): Promise<StateOwnerLock> {
  const claim = new OwnerClaim(state, opts);
  const first = await claim.tryClaim();
  if (first !== 'held') {
    await claim.release();
    throw first === 'taken' ? await claim.takenError() : first;
  }
  return claim;
}

class OwnerClaim implements StateOwnerLock {
  private client: pg.Client | undefined;
  private released = false;
  private reclaiming = false;
  lost: TransientError | undefined;
  private readonly key: string;

  constructor(
    private readonly state: PostgresStateDb,
    private readonly opts: ClaimOptions,
  ) {
    this.key = `${state.schema}:owner`;
  }

  /** One attempt on a new connection: held, taken by another process, or the error that kept it from asking. */
  async tryClaim(): Promise<'held' | 'taken' | Error> {
    const client = new pg.Client({ connectionString: this.state.url });
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
        this.key,
      ]);
      if (!rows[0]?.ok) {
        await this.end(client);
        return 'taken';
      }
      const holder = {
        home: this.opts.home,
        host: hostname(),
        pid: process.pid,
        purpose: this.opts.purpose,
        since: new Date().toISOString(),
      };
      await setKv(this.state, 'owner', JSON.stringify(holder));
      this.client = client;
      return 'held';
    } catch (err) {
      await this.end(client);
      return err instanceof Error ? err : new Error(errorMessage(err));
    }
  }

  async takenError(): Promise<TransientError> {
    const raw = await getKv(this.state, 'owner').catch(() => undefined);
    const holder = raw
      ? (JSON.parse(raw) as { home: string; host: string; pid: number; purpose: string; since: string })
      : undefined;
    const who = holder
      ? `: ${holder.purpose} of home ${holder.home} on ${holder.host} (pid ${holder.pid}) since ${holder.since}`
      : '';
    return new TransientError(
      'state_locked',
      `the state store (schema ${this.state.schema}) is owned by another shoplake process${who}`,
      {
        subject: this.state.schema,
        hint:
          'one home per state schema: wait for that process, or give ' +
          'this home a schema of its own (state.url …?schema=name)',
      },
    );
  }

  async release(): Promise<void> {
    this.released = true;
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.key]).catch(() => undefined);
    await this.end(client);
  }

  private dropped(client: pg.Client): void {
    if (client !== this.client || this.released) return;
    this.client = undefined;
    void this.end(client);
    void this.reclaim();
  }

  private async reclaim(): Promise<void> {
    if (this.reclaiming) return;
    this.reclaiming = true;
    try {
      while (!this.released && !this.lost && !this.client) {
        await new Promise((r) => setTimeout(r, RECLAIM_EVERY_MS));
        if (this.released) return;
        const outcome = await this.tryClaim();
        if (outcome === 'held') {
          // Released while the claim was being made: give it back.
          if (this.released) await this.release();
          return;
        }
        if (outcome === 'taken') {
          const taken = await this.takenError();
          this.lost = new TransientError(
            'state_ownership_lost',
            'this process lost its claim on the state store (schema ' +
              `${this.state.schema}) while its connection was down: ${taken.message}`,
            {
              subject: this.state.schema,
              hint: 'this process runs nothing more; stop it, and run one shoplake process per state schema',
            },
          );
          this.opts.onLost?.(this.lost);
        }
        // Any other error: PostgreSQL is not back yet; try again.
      }
    } finally {
      this.reclaiming = false;
    }
  }

  private async end(client: pg.Client): Promise<void> {
    await client.end().catch(() => undefined);
  }
}
