import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ident, literal } from '../duck/index.ts';
import { errorMessage, TerminalError, TransientError } from '../errors/index.ts';
import { postgresType } from './postgres-type.ts';
import type { PublishRequest, PublishResult, WarehouseAdapter } from './warehouse-adapter.ts';

export interface PostgresWarehouseOptions {
  url: string;
  /** The schema readers query (`gold`); the load goes to `<schema>__staging` first. */
  schema: string;
  /** Folder for the CSV files DuckDB writes for COPY (removed after each table). */
  scratchDir: string;
  /** Attempts of a whole publish when the connection drops or the server restarts. */
  attempts?: number;
}

/**
 * Gold in PostgreSQL: every table is written by DuckDB as CSV and streamed into a staging
 * schema with COPY (never row inserts), given its primary key and indexes on its foreign
 * keys, and ANALYZEd; then one transaction drops the published schema and renames the
 * staging one into its place, so a reader sees the whole old gold or the whole new one.
 * A dropped connection anywhere before that commit leaves the published schema as it was,
 * and the publish starts over.
 */
export class PostgresWarehouse implements WarehouseAdapter {
  readonly kind = 'postgres';

  constructor(private readonly opts: PostgresWarehouseOptions) {}

  async publish(req: PublishRequest): Promise<PublishResult> {
    const attempts = this.opts.attempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.publishOnce(req);
      } catch (err) {
        if (!isConnectionError(err) || attempt >= attempts) {
          throw new TransientError('warehouse_publish_failed', `publishing to PostgreSQL schema "${this.opts.schema}" failed (attempt ${attempt}): ${errorMessage(err)}`, {
            subject: redact(this.opts.url), hint: 'the published schema is unchanged; check the server and run again', cause: err,
          });
        }
        await new Promise((r) => setTimeout(r, 250 * 2 ** (attempt - 1)));
      }
    }
  }

  private async publishOnce(req: PublishRequest): Promise<PublishResult> {
    const t0 = Date.now();
    const { schema } = this.opts;
    const staging = `${schema}__staging`;
    const client = new pg.Client({ connectionString: this.opts.url, connectionTimeoutMillis: 10_000 });
    // A connection that dies mid-COPY is reported on the client as well as on the query.
    client.on('error', () => undefined);
    await client.connect();
    await mkdir(this.opts.scratchDir, { recursive: true });
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${ident(staging)} CASCADE`);
      await client.query(`CREATE SCHEMA ${ident(staging)}`);
      const tables: PublishResult['tables'] = [];
      for (const table of req.tables) {
        const rows = await this.loadTable(client, req, staging, table);
        tables.push({ table, rows });
        req.onTable?.(table, rows);
      }
      await client.query(
        `CREATE TABLE ${ident(staging)}._publish_info AS SELECT $1::text AS run_id, $2::timestamp AS published_at, $3::jsonb AS tables, $4::bigint AS built_through_seq`,
        [req.runId, req.publishedAt, JSON.stringify(tables), req.builtThroughSeq ?? null],
      );
      await client.query(`ANALYZE ${ident(staging)}._publish_info`);
      // The swap: readers block for the rename only, never see a schema half loaded.
      await client.query('BEGIN');
      await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
      await client.query(`ALTER SCHEMA ${ident(staging)} RENAME TO ${ident(schema)}`);
      await client.query('COMMIT');
      return { tables, ms: Date.now() - t0 };
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** One table: DDL from DuckDB's types, CSV from DuckDB, COPY, key, indexes, statistics. */
  private async loadTable(client: pg.Client, req: PublishRequest, staging: string, table: string): Promise<number> {
    const columns = await req.build.all<{ column_name: string; column_type: string }>(`DESCRIBE ${ident(table)}`);
    const target = `${ident(staging)}.${ident(table)}`;
    await client.query(`CREATE TABLE ${target} (${columns.map((c) => `${ident(c.column_name)} ${postgresType(c.column_type)}`).join(', ')})`);
    const csv = join(this.opts.scratchDir, `${table}.csv`);
    try {
      await req.build.run(`COPY ${ident(table)} TO ${literal(csv)} (FORMAT csv, HEADER false)`);
      const copy = client.query(copyFrom(`COPY ${target} FROM STDIN (FORMAT csv)`));
      await pipeline(createReadStream(csv, { highWaterMark: 1 << 20 }), copy);
      const rows = copy.rowCount;
      const shape = req.shapes?.[table];
      if (shape?.key?.length) {
        await client.query(`ALTER TABLE ${target} ADD PRIMARY KEY (${shape.key.map(ident).join(', ')})`).catch((err: unknown) => {
          throw new TerminalError('warehouse_key_violated', `${table}: key (${shape.key!.join(', ')}) is not unique or has nulls: ${errorMessage(err)}`, {
            subject: table, hint: "the model's unique and not_null tests should have caught this; check the model",
          });
        });
      }
      for (const column of shape?.indexes ?? []) await client.query(`CREATE INDEX ON ${target} (${ident(column)})`);
      await client.query(`ANALYZE ${target}`);
      return rows;
    } finally {
      await rm(csv, { force: true });
    }
  }
}

/** A lost connection or a server going away: worth a new attempt. */
function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT)$/.test(code) || /^(08|57P0)/.test(code) ||
    /Connection terminated|connection.*(ended|closed)|terminating connection/i.test(errorMessage(err));
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
