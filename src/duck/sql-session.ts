import { AsyncLocalStorage } from 'node:async_hooks';
import type { DuckDBValue } from '@duckdb/node-api';
import { TerminalError } from '../errors/index.ts';

export type Params = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

/**
 * SHOPLAKE_SLOW_SQL_MS=n writes every statement that ran n ms or longer to stderr, with
 * the database it ran on (as PostgreSQL's log_min_duration_statement): where a slow run
 * or a slow micro-batch spends its time.
 */
const SLOW_SQL_MS = Number(process.env['SHOPLAKE_SLOW_SQL_MS'] ?? 0);

/**
 * One connection to a DuckDB database, wherever the database runs: in this process
 * (`DuckSession`) or in a child process (`ChildDuckSession`). Statements on one session
 * run one at a time, in the order they were sent; a transaction holds the session.
 */
export abstract class SqlSession {
  /** The session whose transaction the current async call chain is inside, if any. */
  private static readonly inTransaction = new AsyncLocalStorage<SqlSession>();
  /** Statements wait here while another caller's transaction holds the connection. */
  private turn: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;

  protected constructor(readonly path: string) {}

  /** Another connection to the same database: queries on separate connections run side by side. */
  abstract fork(): Promise<SqlSession>;
  /** Stops the query running on this connection (it fails with an interrupt error). */
  abstract interrupt(): void;
  protected abstract execute(sql: string, params: Params | undefined): Promise<void>;
  protected abstract query(sql: string, params: Params | undefined): Promise<Row[]>;
  protected abstract disconnect(): Promise<void>;

  async run(sql: string, params?: Params): Promise<void> {
    await this.exclusive(() => this.timed(sql, () => this.execute(sql, params)));
  }

  async all<T extends object = Row>(sql: string, params?: Params): Promise<T[]> {
    return (await this.exclusive(() => this.timed(sql, () => this.query(sql, params)))) as unknown as T[];
  }

  /** Runs `fn`, a statement of this session's, reporting it when it took SHOPLAKE_SLOW_SQL_MS or more. */
  protected async timed<T>(sql: string, fn: () => Promise<T>): Promise<T> {
    if (!SLOW_SQL_MS) return fn();
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      const ms = performance.now() - t0;
      if (ms >= SLOW_SQL_MS)
        process.stderr.write(
          `${new Date().toISOString()} slow sql: ${Math.round(ms)} ms ` +
            `on ${this.path}: ${sql.replace(/\s+/g, ' ').slice(0, 240)}\n`,
        );
    }
  }

  async one<T extends object = Row>(sql: string, params?: Params): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  async scalar<T = unknown>(sql: string, params?: Params): Promise<T> {
    const row = await this.one(sql, params);
    return (row ? Object.values(row)[0] : undefined) as T;
  }

  /**
   * Runs `work` inside one transaction: all of it commits or none of it does. A DuckDB
   * transaction belongs to the connection, so while it is open, statements from other
   * callers sharing this session (an API request during a run) wait instead of landing
   * inside it; a transaction begun inside another joins it.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (SqlSession.inTransaction.getStore() === this) return work();
    return this.exclusive(() =>
      SqlSession.inTransaction.run(this, async () => {
        await this.execute('BEGIN TRANSACTION', undefined);
        try {
          const out = await work();
          await this.execute('COMMIT', undefined);
          return out;
        } catch (err) {
          await this.execute('ROLLBACK', undefined).catch(() => undefined);
          throw err;
        }
      }),
    );
  }

  /**
   * One caller at a time on the connection; the transaction holding it passes straight
   * through. Work that uses a DuckSession's `connection` directly (prepared statements) runs inside this.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (SqlSession.inTransaction.getStore() === this) return fn();
    if (this.closing)
      throw new TerminalError('session_closed', `the DuckDB connection to ${this.path} is closed`, {
        subject: this.path,
        hint: 'this is a bug in shoplake: a statement was sent after its session was closed',
      });
    const before = this.turn;
    let release!: () => void;
    this.turn = new Promise<void>((resolve) => (release = resolve));
    await before;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /**
   * Closes the connection once the statements already queued on it have finished.
   * DuckDB (1.5, node-api) deadlocks when a connection closes under a running statement:
   * the statement drops the last reference to its client context while holding that
   * context's lock, so the libuv worker running it blocks for good and the process can
   * never exit. Statements sent after close() fail with `session_closed`.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    const before = this.turn;
    this.closing = before.then(() => this.disconnect());
    return this.closing;
  }
}
