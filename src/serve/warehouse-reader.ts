import { stat } from 'node:fs/promises';
import { StatementType } from '@duckdb/node-api';
import { DuckSession, literal, type Params } from '../duck/index.ts';
import { errorMessage, TerminalError, TransientError } from '../errors/index.ts';

export interface QueryResult {
  columns: Array<{ name: string; type: string }>;
  rows: Array<Record<string, unknown>>;
  truncated: boolean;
}

/**
 * The published warehouse as the server reads it: attached read-only in a session that
 * can touch no file (external access off, configuration locked), so neither a dashboard
 * query nor a console user can write anything or read a file. A publish replaces the
 * warehouse file, so the session is rebuilt when the file changes.
 */
export class WarehouseReader {
  private session: DuckSession | undefined;
  private attachedMtime = 0;
  private opening: Promise<DuckSession> | undefined;

  constructor(private readonly warehouseDb: string) {}

  /** Rows of a query shoplake itself wrote (values bound as parameters). */
  async all<T extends object>(sql: string, params?: Params): Promise<T[]> {
    return (await this.current()).all<T>(sql, params);
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
      throw new TerminalError('query_invalid', errorMessage(err).split('\n')[0]!, { subject: 'sql', hint: 'check the SQL' });
    });
    if (extracted.count !== 1) throw new TerminalError('query_refused', `one statement at a time, not ${extracted.count}`, { subject: 'sql', hint: 'remove the extra statements' });
    const prepared = await extracted.prepare(0).catch((err: unknown) => {
      throw new TerminalError('query_invalid', errorMessage(err).split('\n')[0]!, { subject: 'sql', hint: 'check the SQL; the tables are listed on the data model page' });
    });
    if (prepared.statementType !== StatementType.SELECT && prepared.statementType !== StatementType.EXPLAIN) {
      throw new TerminalError('query_refused', `only SELECT queries run here (this is ${StatementType[prepared.statementType] ?? 'a write'})`, {
        subject: 'sql', hint: 'the warehouse is read-only; data changes through the pipeline',
      });
    }
    try {
      const reader = await prepared.runAndReadUntil(maxRows + 1);
      const rows = reader.getRowObjectsJson() as Array<Record<string, unknown>>;
      const columns = reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() }));
      return { columns, rows: rows.slice(0, maxRows), truncated: rows.length > maxRows };
    } catch (err) {
      throw new TerminalError('query_failed', errorMessage(err).split('\n')[0]!, { subject: 'sql', hint: 'check the SQL; the tables are listed on the data model page' });
    }
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
  }

  private async current(): Promise<DuckSession> {
    const mtime = await stat(this.warehouseDb).then((s) => s.mtimeMs, () => 0);
    if (mtime === 0) throw new TransientError('warehouse_empty', 'nothing has been published yet', { subject: this.warehouseDb, hint: 'run the daily DAG first' });
    if (this.session && mtime === this.attachedMtime) return this.session;
    this.opening ??= this.open(mtime).finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async open(mtime: number): Promise<DuckSession> {
    const db = await DuckSession.open(':memory:', { memoryLimit: '512MB' });
    await db.run(`ATTACH ${literal(this.warehouseDb)} AS wh (READ_ONLY)`);
    await db.run('USE wh');
    await db.run('SET enable_external_access = false');
    await db.run('SET lock_configuration = true');
    // An old session may still serve a query in flight; it is closed once replaced.
    const old = this.session;
    this.session = db;
    this.attachedMtime = mtime;
    setTimeout(() => old?.close(), 30_000).unref();
    return db;
  }
}
