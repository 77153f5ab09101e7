import pg from 'pg';
import { ident } from '../duck/index.ts';
import { detachLiveOverlay, relayLiveOverlay } from './postgres-live-relay.ts';
import { errorMessage, redactUrl, ShoplakeError, TransientError } from '../errors/index.ts';
import { buildIndexes, missingIndexes } from './postgres-indexes.ts';
import { stageTables, type StagedTable } from './postgres-staging.ts';
import { postgresType } from './postgres-type.ts';
import { partitionPrints } from './partition-prints.ts';
import { PARTITIONS_TABLE, readPublishedState, type PublishedState } from './postgres-published-state.ts';
import { planTableLoad, type TableLoadPlan } from './table-load-plan.ts';
import type { PublishRequest, PublishResult, TableLoad, WarehouseAdapter } from './warehouse-adapter.ts';

export interface PostgresWarehouseOptions {
  url: string;
  /** The schema readers query (`gold`); the load goes to `<schema>__staging` first. */
  schema: string;
  /** Folder for the CSV files DuckDB writes for COPY (each removed once copied). */
  scratchDir: string;
  /** Connections that copy tables and build indexes side by side (default 2: the cores of the machines it was measured on). */
  connections?: number;
  /** Attempts of a whole publish when the connection drops or the server restarts (default 7: about 13 s of waiting in all, long enough for a restart). */
  attempts?: number;
}

/**
 * PostgreSQL's maintenance_work_mem on a publish's connections. The server's default, 64MB,
 * sorts a fact table's keys on disk; measured on scale 1's fact_events, its four index
 * builds took 5.4–7.2 s at 64MB and 4.7–6.7 s at 512MB.
 */
const INDEX_BUILD_MEMORY = '256MB';

/**
 * Gold in PostgreSQL. DuckDB writes each table's rows as CSV, streamed with COPY (never row
 * inserts) into a staging schema; what is shipped depends on the table (planTableLoad):
 * facts only the partitions whose fingerprint moved since the last publish, dimensions
 * and marts whole but merged by key, a new or reshaped table whole with its primary key
 * and statistics. Then one transaction applies all of it to the published schema, so a
 * reader sees the whole old gold or the whole new one. A dropped connection anywhere
 * before that commit leaves the published schema as it was, and the publish starts over.
 * The foreign-key indexes of tables swapped in whole are built after that commit, on the
 * published tables (readers are not kept waiting for them: they were half of a whole
 * publish's work); a publish that fails among them is started over like any other, finds
 * nothing to ship and builds the indexes still missing.
 */
export class PostgresWarehouse implements WarehouseAdapter {
  readonly kind = 'postgres';

  constructor(private readonly opts: PostgresWarehouseOptions) {}

  async publish(req: PublishRequest): Promise<PublishResult> {
    const attempts = this.opts.attempts ?? 7;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.publishOnce(req);
      } catch (err) {
        // A key that does not hold is the build's fault: another attempt would fail the same way.
        // An index that would not build is said as such (the publish itself is visible).
        if (err instanceof ShoplakeError) throw err;
        if (!isConnectionError(err) || attempt >= attempts) {
          throw new TransientError('warehouse_publish_failed', `publishing to PostgreSQL schema "${this.opts.schema}" failed (attempt ${attempt}): ${errorMessage(err)}`, {
            subject: redactUrl(this.opts.url), hint: 'the published schema is unchanged; check the server and run again', cause: err,
          });
        }
        await new Promise((r) => setTimeout(r, publishRetryDelay(attempt)));
      }
    }
  }

  private async publishOnce(req: PublishRequest): Promise<PublishResult> {
    const t0 = Date.now();
    const { schema } = this.opts;
    const staging = `${schema}__staging`;
    // One connection creates the staged tables and holds the apply transaction; the others copy and index.
    const pool = new pg.Pool({
      connectionString: this.opts.url, connectionTimeoutMillis: 10_000, max: (this.opts.connections ?? 2) + 1,
      options: `-c maintenance_work_mem=${INDEX_BUILD_MEMORY}`,
    });
    // A connection that dies mid-COPY is reported on its client as well as on the query, and
    // the pool listens on a client only while it is idle: without this, a checked-out one's
    // error would be uncaught. The query's rejection is what counts (publish retries it).
    pool.on('connect', (client) => client.on('error', () => undefined));
    pool.on('error', () => undefined);
    const client = await pool.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${ident(staging)} CASCADE`);
      await client.query(`CREATE SCHEMA ${ident(staging)}`);
      const published = await readPublishedState(client, schema);
      // The largest first, so their long index builds overlap the small tables' copies.
      const sizes = await Promise.all(req.tables.map(async (table) => ({ table, rows: Number(await req.build.scalar(`SELECT count(*) FROM ${ident(table)}`)) })));
      const results = await stageTables(sizes.sort((a, b) => b.rows - a.rows), (table) => this.planTable(req, published, table), {
        pool, ddl: client, build: req.build, staging, scratchDir: this.opts.scratchDir, ...(req.onTable ? { onStaged: req.onTable } : {}),
      });
      // In the request's order, as the embedded warehouse reports them.
      const byTable = new Map(results.map((r) => [r.staged.table, r]));
      const done = req.tables.map((t) => byTable.get(t)!);
      const staged = done.map((r) => r.staged);
      const tables: PublishResult['tables'] = done.map((r) => ({ table: r.staged.table, rows: r.rows, load: describeLoad(r.staged, r.shipped) }));
      const touched = await this.apply(client, req, published, staged, tables);
      const visibleMs = Date.now() - t0;
      req.onVisible?.();
      for (const table of [...touched, PARTITIONS_TABLE, '_publish_info']) await client.query(`ANALYZE ${ident(schema)}.${ident(table)}`);
      await client.query(`DROP SCHEMA ${ident(staging)} CASCADE`);
      // Tables swapped in whole have none yet; a publish that failed after its commit left some out.
      const declared = req.tables.flatMap((table) => (req.shapes?.[table]?.indexes ?? []).map((column) => ({ table, column })));
      const missing = await missingIndexes(client, schema, declared);
      await buildIndexes(pool, schema, missing).catch((err: unknown) => {
        if (isConnectionError(err)) throw err;
        throw new TransientError('warehouse_index_failed', `gold run ${req.runId} is published to PostgreSQL schema "${schema}", but building its indexes failed: ${errorMessage(err)}`, {
          subject: missing.map((d) => `${d.table}.${d.column}`).join(', '), hint: 'queries work without them, only slower; the next publish builds the indexes still missing', cause: err,
        });
      });
      return { tables, ms: Date.now() - t0, visibleMs };
    } finally {
      client.release();
      await pool.end().catch(() => undefined);
    }
  }

  private async planTable(req: PublishRequest, published: PublishedState, table: string): Promise<StagedTable> {
    const described = await req.build.all<{ column_name: string; column_type: string }>(`DESCRIBE ${ident(table)}`);
    const columns = Object.fromEntries(described.map((c) => [c.column_name, postgresType(c.column_type)]));
    const shape = req.shapes?.[table];
    const key = shape?.key ?? [];
    const before = published.tables.get(table);
    const prints = shape?.partitionBy ? await partitionPrints(req.build, table, shape.partitionBy) : undefined;
    // A published key other than the declared one cannot take a merge: load whole, with the new key.
    const keyMoved = before !== undefined && [...before.key].sort().join() !== [...key].sort().join();
    const plan: TableLoadPlan = keyMoved ? { kind: 'full', reason: 'its key changed' } : planTableLoad({
      columns, published: before?.columns, key,
      ...(prints ? { partitions: { build: prints, published: published.partitions.get(table) } } : {}),
    });
    return { table, plan, columns, key, ...(shape?.partitionBy ? { partitionBy: shape.partitionBy } : {}), ...(prints ? { prints } : {}) };
  }

  /**
   * The one transaction that makes the publish visible: whole tables swapped, partitions
   * deleted and re-inserted, dimensions and marts merged, fingerprints and publish info
   * replaced. Returns the tables whose rows changed in place (to ANALYZE after the commit).
   */
  private async apply(client: pg.PoolClient, req: PublishRequest, published: PublishedState, staged: StagedTable[], tables: PublishResult['tables']): Promise<string[]> {
    const { schema } = this.opts;
    const staging = `${schema}__staging`;
    const touched: string[] = [];
    await client.query('BEGIN');
    try {
      // The live overlay is laid over the gold this replaces: laid over the new one below.
      const laidOver = await detachLiveOverlay(client, schema);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
      for (const s of staged) {
        const live = `${ident(schema)}.${ident(s.table)}`;
        const stagedTable = `${ident(staging)}.${ident(s.table)}`;
        if (s.plan.kind === 'full') {
          if (published.tables.has(s.table)) await client.query(`DROP TABLE ${live} CASCADE`);
          await client.query(`ALTER TABLE ${stagedTable} SET SCHEMA ${ident(schema)}`);
        } else if (s.plan.kind === 'partitions') {
          const gone = [...s.plan.replace, ...s.plan.remove];
          if (gone.length === 0) continue;
          const col = ident(s.partitionBy!);
          const values = gone.filter((v): v is string => v !== null);
          await client.query(`DELETE FROM ${live} WHERE ${col} = ANY($1::${s.columns[s.partitionBy!]}[]) OR ($2 AND ${col} IS NULL)`, [values, values.length < gone.length]);
          if (s.plan.replace.length) await client.query(`INSERT INTO ${live} SELECT * FROM ${stagedTable}`);
          touched.push(s.table);
        } else {
          const cols = Object.keys(s.columns).map(ident);
          const keyMatch = s.key.map((k) => `s.${ident(k)} = g.${ident(k)}`).join(' AND ');
          const others = Object.keys(s.columns).filter((c) => !s.key.includes(c)).map(ident);
          const deleted = await client.query(`DELETE FROM ${live} g WHERE NOT EXISTS (SELECT 1 FROM ${stagedTable} s WHERE ${keyMatch})`);
          const upserted = await client.query(
            `INSERT INTO ${live} AS g (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM ${stagedTable}
             ON CONFLICT (${s.key.map(ident).join(', ')}) DO ${others.length
               ? `UPDATE SET ${others.map((c) => `${c} = EXCLUDED.${c}`).join(', ')} WHERE (${others.map((c) => `g.${c}`).join(', ')}) IS DISTINCT FROM (${others.map((c) => `EXCLUDED.${c}`).join(', ')})`
               : 'NOTHING'}`,
          );
          const changed = (deleted.rowCount ?? 0) + (upserted.rowCount ?? 0);
          const load = tables.find((t) => t.table === s.table)?.load;
          if (load) load.changed = changed;
          if (changed) touched.push(s.table);
        }
      }
      await this.recordPublish(client, req, staged, tables);
      await relayLiveOverlay(client, schema, laidOver, req.runId);
      await client.query('COMMIT');
      return touched;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** Partition fingerprints (what the next publish compares with) and the publish info readers show. */
  private async recordPublish(client: pg.PoolClient, req: PublishRequest, staged: StagedTable[], tables: PublishResult['tables']): Promise<void> {
    const parts = `${ident(this.opts.schema)}.${PARTITIONS_TABLE}`;
    const info = `${ident(this.opts.schema)}._publish_info`;
    await client.query(`CREATE TABLE IF NOT EXISTS ${parts} (table_name text NOT NULL, part text, rows bigint NOT NULL, fingerprint text NOT NULL)`);
    await client.query(`DELETE FROM ${parts}`);
    const prints = staged.flatMap((s) => (s.prints ?? []).map((p) => ({ table: s.table, ...p })));
    if (prints.length) {
      await client.query(`INSERT INTO ${parts} SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])`, [
        prints.map((p) => p.table), prints.map((p) => p.part), prints.map((p) => p.rows), prints.map((p) => p.fingerprint),
      ]);
    }
    await client.query(`DROP TABLE IF EXISTS ${info}`);
    await client.query(
      `CREATE TABLE ${info} AS SELECT $1::text AS run_id, $2::timestamp AS published_at, $3::jsonb AS tables, $4::bigint AS built_through_seq`,
      [req.runId, req.publishedAt, JSON.stringify(tables.map((t) => ({ table: t.table, rows: t.rows }))), req.builtThroughSeq ?? null],
    );
  }
}

function describeLoad(s: StagedTable, shipped: number): TableLoad {
  if (s.plan.kind === 'full') return { kind: 'full', shipped, reason: s.plan.reason };
  if (s.plan.kind === 'merge') return { kind: 'merge', shipped };
  const replaced = s.plan.replace.length;
  return { kind: 'partitions', shipped, partitions: { replaced, removed: s.plan.remove.length, unchanged: (s.prints?.length ?? 0) - replaced } };
}

/** Wait before publish attempt `attempt + 1`: 250 ms doubling, at most 5 s. */
export function publishRetryDelay(attempt: number): number {
  return Math.min(5_000, 250 * 2 ** (attempt - 1));
}

/** A lost connection or a server going away: worth a new attempt. */
function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT)$/.test(code) || /^(08|57P0)/.test(code) ||
    /Connection terminated|connection.*(ended|closed)|terminating connection/i.test(errorMessage(err));
}
