import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { redactUrl, TransientError } from '../../errors/index.ts';
import { toPositional } from './named-params.ts';
import { POSTGRES_STATE_MIGRATIONS } from './postgres-state-migrations.ts';
import type { StateDb, StateParams } from '../../state/index.ts';

const raw = (text: string) => text;
/**
 * Rows as the DuckDB state file gives them (DuckSession's JSON-safe values): TIMESTAMP,
 * DATE and JSON as their text, where pg would make Dates and parsed objects. BIGINT and
 * NUMERIC come back as strings from both.
 */
const STATE_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    switch (oid) {
      case pg.types.builtins.TIMESTAMP:
      case pg.types.builtins.TIMESTAMPTZ:
      case pg.types.builtins.DATE:
      case pg.types.builtins.JSON:
      case pg.types.builtins.JSONB:
        return raw;
      default:
        return pg.types.getTypeParser(oid, format);
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * The state store in PostgreSQL (`state.url: postgres://…`): one schema (`shoplake` by
 * default, `?schema=name` in the URL) holding the run history and everything the home's
 * DuckDB state file holds, migrated in place on connect. Statements are the ones the
 * DuckDB store runs, their `$name` parameters bound by position; every connection
 * searches the state schema and speaks UTC, as the DuckDB store does.
 */
export class PostgresStateDb implements StateDb {
  private readonly inTransaction = new AsyncLocalStorage<pg.PoolClient>();

  private constructor(
    readonly pool: pg.Pool,
    readonly schema: string,
    readonly url: string,
  ) {}

  /** `opts.schema` wins over the URL's `?schema=`. */
  static async connect(url: string, opts: { schema?: string } = {}): Promise<PostgresStateDb> {
    const parsed = new URL(url);
    const schema = opts.schema ?? parsed.searchParams.get('schema') ?? 'shoplake';
    parsed.searchParams.delete('schema');
    if (!/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new RangeError(`schema "${schema}" must be lower-case letters, digits and _`);
    const pool = new pg.Pool({
      connectionString: parsed.toString(),
      max: 4,
      options: `-c search_path=${schema} -c TimeZone=UTC`,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const db = new PostgresStateDb(pool, schema, parsed.toString());
    try {
      await db.migrate();
    } catch (err) {
      await pool.end();
      throw new TransientError(
        'state_unreachable',
        `cannot use the PostgreSQL state store: ${(err as Error).message}`,
        {
          subject: redactUrl(url),
          hint: 'check state.url (or --state) and that PostgreSQL is running',
        },
      );
    }
    return db;
  }

  /** A table of the state schema, quoted for statements that name it outright. */
  table(name: string): string {
    return `"${this.schema}"."${name}"`;
  }

  async run(sql: string, params?: StateParams): Promise<void> {
    await this.query(sql, params);
  }

  async all<T extends object = Record<string, unknown>>(sql: string, params?: StateParams): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async one<T extends object = Record<string, unknown>>(sql: string, params?: StateParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async scalar<T = unknown>(sql: string, params?: StateParams): Promise<T> {
    const row = await this.one(sql, params);
    return (row ? Object.values(row)[0] : undefined) as T;
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction.getStore()) return work();
    return this.withClient((c) => this.inTransaction.run(c, work));
  }

  /** `work` on one client inside BEGIN … COMMIT, rolled back when it throws. */
  async withClient<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await work(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query(sql: string, params?: StateParams): Promise<pg.QueryResult> {
    const { text, values } = toPositional(sql, params);
    return (this.inTransaction.getStore() ?? this.pool).query({ text, values, types: STATE_TYPES });
  }

  /** Applies the migrations not yet applied; two processes starting at once take turns. */
  private async migrate(): Promise<void> {
    await this.withClient(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.schema}:migrate`]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await c.query(
        `CREATE TABLE IF NOT EXISTS ${this.table('schema_migrations')} (version INTEGER PRIMARY KEY,
         applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
      const applied = Number(
        (await c.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${this.table('schema_migrations')}`))
          .rows[0]?.v ?? 0,
      );
      // The connection's search_path named the schema before it existed.
      await c.query(`SET LOCAL search_path TO "${this.schema}"`);
      for (let v = applied + 1; v <= POSTGRES_STATE_MIGRATIONS.length; v++) {
        await c.query(POSTGRES_STATE_MIGRATIONS[v - 1]!);
        await c.query(`INSERT INTO ${this.table('schema_migrations')} (version) VALUES ($1)`, [v]);
      }
    });
  }
}
