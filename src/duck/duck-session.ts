// Before DuckDB allocates anything: see the module.
import './allocator-decay.ts';
import { AsyncLocalStorage } from 'node:async_hooks';
import { TerminalError } from '../errors/index.ts';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

export type Params = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

export interface DuckOptions {
  /** DuckDB's own memory cap; spills to `tempDirectory` past it. */
  memoryLimit?: string;
  tempDirectory?: string;
  threads?: number;
  /** Opens the file read-only: writes fail, and other read-only readers may share it. */
  readOnly?: boolean;
}

/**
 * A connection to one DuckDB database file (or ':memory:'). Instances come from
 * DuckDBInstance.fromCache so a process holds one instance per file; results come back
 * as JSON-safe objects (BIGINT and DECIMAL as numbers or strings, never BigInt).
 */
export class DuckSession {
  /** The session whose transaction the current async call chain is inside, if any. */
  private static readonly inTransaction = new AsyncLocalStorage<DuckSession>();
  /** Statements wait here while another caller's transaction holds the connection. */
  private turn: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;

  private constructor(readonly path: string, readonly connection: DuckDBConnection, private readonly instance: DuckDBInstance) {}

  static async open(path: string, options: DuckOptions = {}): Promise<DuckSession> {
    const config: Record<string, string> = {};
    if (options.memoryLimit) config['memory_limit'] = options.memoryLimit;
    if (options.tempDirectory) config['temp_directory'] = options.tempDirectory;
    if (options.threads) config['threads'] = String(options.threads);
    if (options.readOnly) config['access_mode'] = 'READ_ONLY';
    const instance = path === ':memory:' ? await DuckDBInstance.create(path, config) : await DuckDBInstance.fromCache(path, config);
    return DuckSession.on(path, instance);
  }

  /** Another connection to the same database: queries on separate connections run side by side. */
  async fork(): Promise<DuckSession> {
    return DuckSession.on(this.path, this.instance);
  }

  /** Stops the query running on this connection (it fails with an interrupt error). */
  interrupt(): void {
    this.connection.interrupt();
  }

  private static async on(path: string, instance: DuckDBInstance): Promise<DuckSession> {
    const session = new DuckSession(path, await instance.connect(), instance);
    // Everything shoplake stores is UTC; a session in local time would shift TIMESTAMPTZ casts.
    await session.run("SET TimeZone = 'UTC'");
    return session;
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.exclusive(() => this.connection.run(sql, params as never));
  }

  async all<T extends object = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.exclusive(() => this.connection.runAndReadAll(sql, params as never));
    return reader.getRowObjectsJson() as unknown as T[];
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
    if (DuckSession.inTransaction.getStore() === this) return work();
    return this.exclusive(() => DuckSession.inTransaction.run(this, async () => {
      await this.connection.run('BEGIN TRANSACTION');
      try {
        const out = await work();
        await this.connection.run('COMMIT');
        return out;
      } catch (err) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }));
  }

  /**
   * One caller at a time on the connection; the transaction holding it passes straight
   * through. Work that uses `connection` directly (prepared statements) runs inside this.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (DuckSession.inTransaction.getStore() === this) return fn();
    if (this.closing) throw new TerminalError('session_closed', `the DuckDB connection to ${this.path} is closed`, { subject: this.path, hint: 'this is a bug in shoplake: a statement was sent after its session was closed' });
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
    this.closing = before.then(() => this.connection.closeSync());
    return this.closing;
  }
}
