import pg from 'pg';
import type { Params } from '../../duck/index.ts';
import { errorMessage, TerminalError, TransientError } from '../../errors/index.ts';
import type { QueryResult, TableColumn, WarehouseReader } from '../../warehouse/index.ts';
import { liveSchemaOf } from './postgres-live-overlay.ts';

// Dates and timestamps come back as the text PostgreSQL prints ('2025-03-01',
// '2025-03-01 10:00:00'), as the DuckDB reader gives them, not as JavaScript Dates
// shifted into the server's time zone. BIGINT and NUMERIC stay text, as in DuckDB's JSON.
const AS_TEXT = new Set([
  pg.types.builtins.DATE,
  pg.types.builtins.TIMESTAMP,
  pg.types.builtins.TIMESTAMPTZ,
  pg.types.builtins.TIME,
]);
const TYPE_NAMES = new Map(Object.entries(pg.types.builtins).map(([name, oid]) => [oid as number, name.toLowerCase()]));
const READS = /^\s*(select|with|values|table|explain|show)\b/i;

/**
 * Gold in a PostgreSQL schema, read by the web app and `shoplake query`: every session is
 * read-only (default_transaction_read_only), searches the gold schema first and stops a
 * statement after `statementTimeoutMs`. The console's SQL is one statement (the extended
 * protocol refuses more) that must start as a read, and runs in a READ ONLY transaction
 * through a cursor that fetches maxRows + 1 rows. A role with only SELECT on the schema is still the better
 * guard for a shared server: give it as the URL.
 */
export class PostgresWarehouseReader implements WarehouseReader {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;

  constructor(private readonly opts: { url: string; schema: string; statementTimeoutMs?: number }) {
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: 4,
      connectionTimeoutMillis: 10_000,
      // The live overlay's views first: the tables the stream keeps fresh, over the published ones.
      options:
        `-c search_path=${liveSchemaOf(opts.schema)},${opts.schema},public -c ` +
        `default_transaction_read_only=on -c statement_timeout=${opts.statementTimeoutMs ?? 30_000}`,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          AS_TEXT.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client losing its server is replaced on the next query; nothing to report here.
    this.pool.on('error', () => undefined);
  }

  async all<T extends object>(sql: string, params?: Params): Promise<T[]> {
    const { text, values } = positional(sql, params);
    return (await this.run(() => this.pool.query(text, values))).rows as T[];
  }

  async columns(): Promise<TableColumn[]> {
    return this.all<TableColumn>(
      `SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns
       WHERE table_schema = $schema ORDER BY table_name, ordinal_position`,
      { schema: this.opts.schema },
    );
  }

  async userQuery(sql: string, maxRows: number): Promise<QueryResult> {
    const statement = sql.trim().replace(/;\s*$/, '');
    if (!READS.test(statement)) {
      throw new TerminalError('query_refused', 'only SELECT queries run here', {
        subject: 'sql',
        hint: 'the warehouse is read-only; data changes through the pipeline',
      });
    }
    const client = await this.run(() => this.pool.connect());
    try {
      await client.query('BEGIN READ ONLY');
      const fail = (err: unknown) => {
        throw (
          refusal(err) ??
          new TerminalError('query_failed', errorMessage(err).split('\n')[0]!, {
            subject: 'sql',
            hint: 'check the SQL; the tables are listed on the data model page',
          })
        );
      };
      // A cursor caps the rows without changing the query (a subquery would not keep its ORDER BY for sure).
      const direct = /^\s*(explain|show)\b/i.test(statement);
      if (!direct)
        await client
          .query({ text: `DECLARE shoplake_console NO SCROLL CURSOR FOR ${statement}`, values: [] })
          .catch(fail);
      const r = await client
        .query({ text: direct ? statement : `FETCH ${maxRows + 1} FROM shoplake_console`, values: [] })
        .catch(fail);
      const columns = r.fields.map((f) => ({
        name: f.name,
        type: TYPE_NAMES.get(f.dataTypeID) ?? `oid ${f.dataTypeID}`,
      }));
      const rows = r.rows as Array<Record<string, unknown>>;
      return { columns, rows: rows.slice(0, maxRows), truncated: rows.length > maxRows };
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (code === '3F000' || code === '42P01') {
        throw new TransientError('warehouse_empty', `nothing has been published to schema "${this.opts.schema}" yet`, {
          subject: this.opts.schema,
          hint: 'run the daily DAG first',
          cause: err,
        });
      }
      if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT)$/.test(code) || /^(08|57P0)/.test(code)) {
        throw new TransientError(
          'warehouse_unavailable',
          `the PostgreSQL warehouse does not answer: ${errorMessage(err)}`,
          { subject: this.opts.schema, hint: 'check the server; the page retries', cause: err },
        );
      }
      throw err;
    }
  }
}

/** `$name` parameters (as DuckDB takes them) as PostgreSQL's `$1..$n`, with their values in order. */
export function positional(sql: string, params?: Params): { text: string; values: unknown[] } {
  if (!params) return { text: sql, values: [] };
  if (Array.isArray(params)) return { text: sql, values: params };
  const order: string[] = [];
  const text = sql.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    if (!(name in params)) throw new RangeError(`no value for parameter $${name}`);
    const at = order.indexOf(name);
    return `$${at >= 0 ? at + 1 : order.push(name)}`;
  });
  return { text, values: order.map((n) => (params as Record<string, unknown>)[n]) };
}

function refusal(err: unknown): TerminalError | undefined {
  const code = (err as { code?: string }).code ?? '';
  const msg = errorMessage(err);
  if (code === '25006' || /data-modifying/i.test(msg))
    return new TerminalError('query_refused', `only SELECT queries run here (${msg})`, {
      subject: 'sql',
      hint: 'the warehouse is read-only; data changes through the pipeline',
    });
  if (/multiple commands/i.test(msg))
    return new TerminalError('query_refused', 'one statement at a time', {
      subject: 'sql',
      hint: 'remove the extra statements',
    });
  return undefined;
}
