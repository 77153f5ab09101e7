// Before DuckDB allocates anything: see the module.
import './allocator-decay.ts';
import { DuckDBInstance, DuckDBUIntegerVector, type DuckDBConnection, type DuckDBDataChunk } from '@duckdb/node-api';
import { SqlSession, type Params, type Row } from './sql-session.ts';

export type { Params, Row } from './sql-session.ts';

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
export class DuckSession extends SqlSession {
  private constructor(
    path: string,
    readonly connection: DuckDBConnection,
    private readonly instance: DuckDBInstance,
  ) {
    super(path);
  }

  static async open(path: string, options: DuckOptions = {}): Promise<DuckSession> {
    const config: Record<string, string> = {};
    if (options.memoryLimit) config['memory_limit'] = options.memoryLimit;
    if (options.tempDirectory) config['temp_directory'] = options.tempDirectory;
    if (options.threads) config['threads'] = String(options.threads);
    if (options.readOnly) config['access_mode'] = 'READ_ONLY';
    const instance =
      path === ':memory:' ? await DuckDBInstance.create(path, config) : await DuckDBInstance.fromCache(path, config);
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

  protected async execute(sql: string, params: Params | undefined): Promise<void> {
    await this.connection.run(sql, params as never);
  }

  protected async query(sql: string, params: Params | undefined): Promise<Row[]> {
    const reader = await this.connection.runAndReadAll(sql, params as never);
    return reader.getRowObjectsJson() as unknown as Row[];
  }

  /**
   * A result of UINTEGER columns as one typed array per column (a NULL reads as 0), copied
   * out of the chunks' vectors item by item: no JavaScript value per row nor per item.
   * Converting such a result to values made a heap number per item over 2^31 and the
   * arrays (the dedup filter read a delivery's fingerprints so: a notable share of the
   * collector's allocation).
   */
  async uint32Columns(sql: string, params?: Params): Promise<Uint32Array[]> {
    return this.exclusive(() => this.timed(sql, () => this.queryUint32Columns(sql, params)));
  }

  private async queryUint32Columns(sql: string, params: Params | undefined): Promise<Uint32Array[]> {
    const result = await this.connection.run(sql, params as never);
    const chunks: DuckDBDataChunk[] = [];
    let rows = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      chunks.push(chunk);
      rows += chunk.rowCount;
    }
    return Array.from({ length: result.columnCount }, (_, column) => {
      const out = new Uint32Array(rows);
      let at = 0;
      for (const chunk of chunks) {
        const vector = chunk.getColumnVector(column);
        if (!(vector instanceof DuckDBUIntegerVector))
          throw new Error(`uint32Columns: column ${column} is ${vector.type.toString()}, not UINTEGER`);
        for (let i = 0; i < vector.itemCount; i++) out[at + i] = vector.getItem(i) ?? 0;
        at += vector.itemCount;
      }
      return out;
    });
  }

  protected async disconnect(): Promise<void> {
    this.connection.closeSync();
  }
}
