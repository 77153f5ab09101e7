import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StatementType } from '@duckdb/node-api';
import { DuckSession, literalList, type Params } from '../../duck/index.ts';
import { errorMessage, TerminalError, TransientError } from '../../errors/index.ts';
import { applyLiveOverlay, attachWarehouse } from '../../live/index.ts';
import type { QueryResult, TableColumn, WarehouseReader } from '../../warehouse/index.ts';

/**
 * The embedded warehouse as the server reads it: attached read-only in a session that
 * can touch no file but the live overlay's (external access off, configuration locked),
 * so neither a dashboard query nor a console user can write anything or read a file. A
 * publish replaces the warehouse file, and the session is rebuilt; a micro-batch replaces
 * the overlay's manifest, and the new overlay is laid over the same session.
 */
export class DuckdbWarehouseReader implements WarehouseReader {
  readonly kind = 'duckdb';
  private session: DuckSession | undefined;
  private attached: Stamp = { wh: 0, live: 0 };
  private opening: Promise<DuckSession> | undefined;

  constructor(
    private readonly warehouseDb: string,
    private readonly liveDir: string,
  ) {}

  /** Rows of a query shoplake itself wrote (values bound as parameters). */
  async all<T extends object>(sql: string, params?: Params): Promise<T[]> {
    return (await this.current()).all<T>(sql, params);
  }

  async columns(): Promise<TableColumn[]> {
    return this.all<TableColumn>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name, ordinal_position`,
    );
  }

  /**
   * A user's SQL from the console: exactly one statement, and a SELECT (or a WITH/VALUES/
   * SHOW/DESCRIBE that reads); anything else is refused before it runs.
   */
  async userQuery(sql: string, maxRows: number): Promise<QueryResult> {
    const db = await this.current();
    return db.exclusive(() => this.runUserQuery(db, sql, maxRows));
  }

  private async runUserQuery(db: DuckSession, sql: string, maxRows: number): Promise<QueryResult> {
    const extracted = await db.connection.extractStatements(sql).catch((err: unknown) => {
      throw new TerminalError('query_invalid', errorMessage(err).split('\n')[0]!, {
        subject: 'sql',
        hint: 'check the SQL',
      });
    });
    if (extracted.count !== 1)
      throw new TerminalError('query_refused', `one statement at a time, not ${extracted.count}`, {
        subject: 'sql',
        hint: 'remove the extra statements',
      });
    const prepared = await extracted.prepare(0).catch((err: unknown) => {
      throw new TerminalError('query_invalid', errorMessage(err).split('\n')[0]!, {
        subject: 'sql',
        hint: 'check the SQL; the tables are listed on the data model page',
      });
    });
    if (prepared.statementType !== StatementType.SELECT && prepared.statementType !== StatementType.EXPLAIN) {
      throw new TerminalError(
        'query_refused',
        `only SELECT queries run here (this is ${StatementType[prepared.statementType] ?? 'a write'})`,
        {
          subject: 'sql',
          hint: 'the warehouse is read-only; data changes through the pipeline',
        },
      );
    }
    try {
      const reader = await prepared.runAndReadUntil(maxRows + 1);
      const rows = reader.getRowObjectsJson() as Array<Record<string, unknown>>;
      const columns = reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() }));
      return { columns, rows: rows.slice(0, maxRows), truncated: rows.length > maxRows };
    } catch (err) {
      throw new TerminalError('query_failed', errorMessage(err).split('\n')[0]!, {
        subject: 'sql',
        hint: 'check the SQL; the tables are listed on the data model page',
      });
    } finally {
      // Now, not when the garbage collector finalizes it: a prepared plan over the overlay
      // holds every Parquet file's metadata, and a collection finalizing hundreds of them at
      // once freed them on the event loop in one long pause (FileMetaData destructors).
      prepared.destroySync();
    }
  }

  async close(): Promise<void> {
    await this.session?.close();
    this.session = undefined;
  }

  private async current(): Promise<DuckSession> {
    const mtime = (path: string) =>
      stat(path).then(
        (s) => s.mtimeMs,
        () => 0,
      );
    const [wh, live] = await Promise.all([mtime(this.warehouseDb), mtime(join(this.liveDir, 'manifest.json'))]);
    if (wh === 0)
      throw new TransientError('warehouse_empty', 'nothing has been published yet', {
        subject: this.warehouseDb,
        hint: 'run the daily DAG first',
      });
    const stamp = { wh, live };
    if (this.session && wh === this.attached.wh && live === this.attached.live) return this.session;
    // A new overlay is laid over the open session; only a new warehouse needs a new one.
    this.opening ??= (
      this.session && wh === this.attached.wh ? this.relay(this.session, stamp) : this.open(stamp)
    ).finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async relay(db: DuckSession, stamp: Stamp): Promise<DuckSession> {
    await applyLiveOverlay(db, this.liveDir);
    this.attached = stamp;
    return db;
  }

  private async open(stamp: Stamp): Promise<DuckSession> {
    const db = await DuckSession.open(':memory:', { memoryLimit: '512MB' });
    await attachWarehouse(db, this.warehouseDb, this.liveDir);
    // Overlays to come are read from the live folder; nothing else can be opened once this is locked.
    await db.run(`SET allowed_directories = ${literalList([`${this.liveDir}/`])}`);
    await db.run('SET enable_external_access = false');
    await db.run('SET lock_configuration = true');
    // A request may have picked the old session just before it was replaced; it closes
    // later, and then only after the statements queued on it.
    const old = this.session;
    this.session = db;
    this.attached = stamp;
    setTimeout(() => void old?.close(), 30_000).unref();
    return db;
  }
}

/** The modification times of the warehouse file and the overlay manifest a session reads. */
interface Stamp {
  wh: number;
  live: number;
}
