import pg from 'pg';
import { ident } from '../../duck/index.ts';
import { applyPublish } from './postgres-apply.ts';
import { errorMessage, redactUrl, ShoplakeError, TransientError } from '../../errors/index.ts';
import { buildIndexes, missingIndexes } from './postgres-indexes.ts';
import { stageTables, type StagedTable } from './postgres-staging.ts';
import { postgresType } from './postgres-type.ts';
import { partitionPrints } from './partition-prints.ts';
import { PARTITIONS_TABLE, readPublishedState, type PublishedState } from './postgres-published-state.ts';
import { planTableLoad, type TableLoadPlan } from './table-load-plan.ts';
import type { PublishRequest, PublishResult, TableLoad, WarehouseAdapter } from '../../warehouse/index.ts';

export interface PostgresWarehouseOptions {
  url: string;
  /** The schema readers query (`gold`); the load goes to `<schema>__staging` first. */
  schema: string;
  /** Folder for the CSV files DuckDB writes for COPY (each removed once copied). */
  scratchDir: string;
  /**
   * Connections that copy tables and build indexes side by side
   * (default 2: the cores of the machines it was measured on).
   */
  connections?: number;
  /**
   * Attempts of a whole publish when the connection drops or the server restarts
   * (default 7: about 13 s of waiting in all, long enough for a restart).
   */
  attempts?: number;
}

/**
 * PostgreSQL's maintenance_work_mem on a publish's connections. The server's default, 64MB,
 * sorts a fact table's keys on disk; more lets its index builds sort in memory.
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
 * published tables (readers are not kept waiting for them: they are a large share of a
 * whole publish's work); a publish that fails among them is started over like any other, finds
 * nothing to ship and builds the indexes still missing.
 */
export class PostgresWarehouse implements WarehouseAdapter {
  readonly kind = 'postgres';

  constructor(private readonly opts: PostgresWarehouseOptions) {}

  async publish(req: PublishRequest): Promise<PublishResult> {
    const attempts = this.opts.attempts ?? 7;
    // Whether an attempt committed: then only indexes were left when the server went away.
    const progress = { visible: false };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.publishOnce(req, progress);
      } catch (err) {
        // A key that does not hold is the build's fault: another attempt would fail the same way.
        // An index that would not build is said as such (the publish itself is visible).
        if (err instanceof ShoplakeError) throw err;
        if (!isConnectionError(err) || attempt >= attempts) {
          throw new TransientError(
            'warehouse_publish_failed',
            `publishing to PostgreSQL schema "${this.opts.schema}" failed (attempt ${attempt}): ${errorMessage(err)}`,
            {
              subject: redactUrl(this.opts.url),
              cause: err,
              hint: progress.visible
                ? `gold run ${req.runId} is published, some of its indexes are not; the next publish builds them`
                : 'the published schema is unchanged; check the server and run again',
            },
          );
        }
        await new Promise((r) => setTimeout(r, publishRetryDelay(attempt)));
      }
    }
  }

  private async publishOnce(req: PublishRequest, progress: { visible: boolean }): Promise<PublishResult> {
    const t0 = Date.now();
    const { schema } = this.opts;
    const staging = `${schema}__staging`;
    // One connection creates the staged tables and holds the apply transaction; the others copy and index.
    const pool = new pg.Pool({
      connectionString: this.opts.url,
      connectionTimeoutMillis: 10_000,
      max: (this.opts.connections ?? 2) + 1,
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
      const sizes = await Promise.all(
        req.tables.map(async (table) => ({
          table,
          rows: Number(await req.build.scalar(`SELECT count(*) FROM ${ident(table)}`)),
        })),
      );
      const results = await stageTables(
        sizes.sort((a, b) => b.rows - a.rows),
        (table) => this.planTable(req, published, table),
        {
          pool,
          ddl: client,
          build: req.build,
          staging,
          scratchDir: this.opts.scratchDir,
          ...(req.onTable ? { onStaged: req.onTable } : {}),
        },
      );
      // In the request's order, as the embedded warehouse reports them.
      const byTable = new Map(results.map((r) => [r.staged.table, r]));
      const done = req.tables.map((t) => byTable.get(t)!);
      const staged = done.map((r) => r.staged);
      const tables: PublishResult['tables'] = done.map((r) => ({
        table: r.staged.table,
        rows: r.rows,
        load: describeLoad(r.staged, r.shipped),
      }));
      const touched = await applyPublish(client, schema, req, published, staged, tables);
      const visibleMs = Date.now() - t0;
      progress.visible = true;
      req.onVisible?.();
      for (const table of [...touched, PARTITIONS_TABLE, '_publish_info'])
        await client.query(`ANALYZE ${ident(schema)}.${ident(table)}`);
      await client.query(`DROP SCHEMA ${ident(staging)} CASCADE`);
      // Tables swapped in whole have none yet; a publish that failed after its commit left some out.
      const declared = req.tables.flatMap((table) =>
        (req.shapes?.[table]?.indexes ?? []).map((column) => ({ table, column })),
      );
      const missing = await missingIndexes(client, schema, declared);
      await buildIndexes(pool, schema, missing).catch((err: unknown) => {
        if (isConnectionError(err)) throw err;
        throw new TransientError(
          'warehouse_index_failed',
          `gold run ${req.runId} is published to PostgreSQL schema ` +
            `"${schema}", but building its indexes failed: ${errorMessage(err)}`,
          {
            subject: missing.map((d) => `${d.table}.${d.column}`).join(', '),
            hint: 'queries work without them, only slower; the next publish builds the indexes still missing',
            cause: err,
          },
        );
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
    const plan: TableLoadPlan = keyMoved
      ? { kind: 'full', reason: 'its key changed' }
      : planTableLoad({
          columns,
          published: before?.columns,
          key,
          ...(prints ? { partitions: { build: prints, published: published.partitions.get(table) } } : {}),
        });
    return {
      table,
      plan,
      columns,
      key,
      ...(shape?.partitionBy ? { partitionBy: shape.partitionBy } : {}),
      ...(prints ? { prints } : {}),
    };
  }
}

function describeLoad(s: StagedTable, shipped: number): TableLoad {
  if (s.plan.kind === 'full') return { kind: 'full', shipped, reason: s.plan.reason };
  if (s.plan.kind === 'merge') return { kind: 'merge', shipped };
  const replaced = s.plan.replace.length;
  return {
    kind: 'partitions',
    shipped,
    partitions: { replaced, removed: s.plan.remove.length, unchanged: (s.prints?.length ?? 0) - replaced },
  };
}

/** Wait before publish attempt `attempt + 1`: 250 ms doubling, at most 5 s. */
export function publishRetryDelay(attempt: number): number {
  return Math.min(5_000, 250 * 2 ** (attempt - 1));
}

/** A lost connection or a server going away: worth a new attempt. */
function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return (
    /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT)$/.test(code) ||
    /^(08|57P0)/.test(code) ||
    /Connection terminated|connection.*(ended|closed)|terminating connection/i.test(errorMessage(err))
  );
}
