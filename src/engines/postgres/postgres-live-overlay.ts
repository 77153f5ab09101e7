import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { DuckSession, ident, literalList } from '../../duck/index.ts';
import { copyIntoPostgres } from './copy-into-postgres.ts';
import type { LiveChange, LiveMirror, LiveSync } from '../../live/index.ts';

/** The schema the live overlay of PostgreSQL gold `schema` lives in; readers search it first. */
export function liveSchemaOf(schema: string): string {
  return `${schema}_live`;
}

/** One refresh of the overlay, as the streaming micro-batch wrote it under `liveDir`. */
/** The overlaid tables: the overlay's rows of each, the view readers see in its place, and how the two combine. */
const TABLES = [
  { gold: 'fact_events', rows: 'live_fact_events', combine: 'by_key' },
  { gold: 'mart_user_activity_daily', rows: 'live_activity', combine: 'by_day' },
  { gold: 'mart_funnel', rows: 'live_funnel', combine: 'whole', flag: 'has_funnel' },
  { gold: 'dim_date', rows: 'live_dim_date', combine: 'whole', flag: 'has_dim_date' },
] as const;

/**
 * The live overlay for gold in PostgreSQL: the streaming micro-batch's rows copied into
 * `<schema>_live`, with a view there for each overlaid table (published rows with the live
 * ones laid over them) that readers find first on their search path. Every change lands
 * in one transaction, under the overlay's lock (`lockLiveOverlay`), which a publish takes
 * too. A copy made whole waits until PostgreSQL holds the gold run its manifest names; the
 * batches after it go on over whichever gold is under them: a publish lays the overlay
 * over the new gold (`relayLiveOverlay`), as the embedded overlay stands in for a new
 * warehouse until the one built on it has caught up.
 */
export class PostgresLiveOverlay implements LiveMirror {
  /** The token of what this process last wrote to PostgreSQL's overlay. */
  private synced: string | undefined;
  private db: DuckSession | undefined;
  private readonly live: string;

  constructor(private readonly opts: { url: string; schema: string; scratchDir: string }) {
    this.live = liveSchemaOf(opts.schema);
  }

  /** Whether PostgreSQL may lag the overlay on disk (the next `apply` copies it whole). */
  get behind(): boolean {
    return this.synced === undefined;
  }

  async apply(change: LiveChange): Promise<LiveSync> {
    const client = new pg.Client({ connectionString: this.opts.url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query('BEGIN');
      await lockLiveOverlay(client, this.opts.schema);
      const outcome = await this.applyIn(client, change);
      await client.query('COMMIT');
      return outcome;
    } catch (err) {
      this.synced = undefined;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.db?.close();
    this.db = undefined;
  }

  private async applyIn(client: pg.Client, change: LiveChange): Promise<LiveSync> {
    const { manifest: m } = change;
    const gold = ident(this.opts.schema);
    const live = ident(this.live);
    const goldRun = await firstValue<string>(client, `${gold}._publish_info`, 'run_id');
    const state = await firstValue<{ token: string; base: string }>(
      client,
      `${live}.live_state`,
      "json_build_object('token', token, 'base', base_run_id)",
    );
    // PostgreSQL holds what this process last wrote, laid over the gold it holds: a batch
    // of the same generation goes on over it, whichever run its manifest names (the embedded
    // overlay's batches hold every event since their own build, so they stand in over a newer one).
    const continuing =
      !change.whole && this.synced !== undefined && state?.token === this.synced && state.base === goldRun;
    if (!continuing && goldRun !== m.baseRunId) {
      this.synced = undefined;
      return 'waiting';
    }
    const token = continuing ? this.synced! : randomUUID();
    if (!continuing) await this.create(client);
    const copy = (table: string, files: string[]) => this.copyFiles(client, table, files);
    const at = (f: string | null) => (f ? [join(change.liveDir, f)] : []);
    // Facts accumulate: a batch appends its file; a copy made whole takes every listed one.
    await copy(
      'live_fact_events',
      continuing ? (change.addedFacts ? [change.addedFacts] : []) : m.facts.map((f) => join(change.liveDir, f)),
    );
    for (const [table, file] of [
      ['live_activity', m.activity],
      ['live_funnel', m.funnel],
      ['live_dim_date', m.dimDate],
    ] as const) {
      await client.query(`DELETE FROM ${live}.${ident(table)}`);
      await copy(table, at(file));
    }
    await client.query(`DELETE FROM ${live}.live_state`);
    await client.query(`INSERT INTO ${live}.live_state VALUES ($1, $2, $3, $4::timestamp, $5, $6, $7)`, [
      token,
      goldRun,
      m.throughSeq,
      m.refreshedAt,
      m.events,
      m.funnel !== null,
      m.dimDate !== null,
    ]);
    this.synced = token;
    return continuing ? 'incremental' : 'full';
  }

  /** The overlay schema anew: row tables shaped like the published ones, and the views. */
  private async create(client: pg.Client): Promise<void> {
    const gold = ident(this.opts.schema);
    const live = ident(this.live);
    await client.query(`DROP SCHEMA IF EXISTS ${live} CASCADE`);
    await client.query(`CREATE SCHEMA ${live}`);
    for (const t of TABLES) await client.query(`CREATE TABLE ${live}.${ident(t.rows)} (LIKE ${gold}.${ident(t.gold)})`);
    await client.query(`CREATE INDEX ON ${live}.live_fact_events (event_id)`);
    await client.query(
      `CREATE TABLE ${live}.live_state (token text, base_run_id text, through_seq bigint,
       refreshed_at timestamp, events bigint, has_funnel boolean, has_dim_date boolean)`,
    );
    await createViews(client, this.opts.schema);
  }

  /** Parquet files of the overlay into one of its row tables, columns matched by name. */
  private async copyFiles(client: pg.Client, table: string, files: string[]): Promise<void> {
    if (files.length === 0) return;
    const { rows } = await client.query<{ name: string }>(
      `SELECT column_name::text AS name FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [this.live, table],
    );
    const db = (this.db ??= await DuckSession.open(':memory:', { memoryLimit: '256MB' }));
    await mkdir(this.opts.scratchDir, { recursive: true });
    const select = `SELECT ${rows.map((r) => ident(r.name)).join(', ')} FROM read_parquet(${literalList(files)})`;
    await copyIntoPostgres(
      db,
      client,
      select,
      `${ident(this.live)}.${ident(table)}`,
      join(this.opts.scratchDir, `${table}.csv`),
    );
  }
}

/** The value of `column` in the first row of `table`, or undefined when the table does not exist. */
export async function firstValue<T>(client: pg.ClientBase, table: string, column: string): Promise<T | undefined> {
  const {
    rows: [found],
  } = await client.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [table]);
  return found?.ok ? ((await client.query(`SELECT ${column} AS v FROM ${table}`)).rows[0]?.v as T) : undefined;
}

/**
 * What readers see of the overlay (a view per overlaid table, over gold
 * `schema`), and only while the published gold is the one it is laid over.
 */
export async function createViews(client: pg.ClientBase, schema: string): Promise<void> {
  const gold = ident(schema);
  const live = ident(liveSchemaOf(schema));
  await client.query(`CREATE VIEW ${live}._live_info AS
    SELECT s.refreshed_at, s.events, s.through_seq, s.has_funnel, s.has_dim_date
    FROM ${live}.live_state s JOIN ${gold}._publish_info p ON p.run_id = s.base_run_id`);
  const on = `EXISTS (SELECT 1 FROM ${live}._live_info)`;
  for (const t of TABLES) {
    const rows = `${live}.${ident(t.rows)}`;
    const published = `${gold}.${ident(t.gold)}`;
    const body =
      t.combine === 'by_key'
        ? `SELECT w.* FROM ${published} w
         WHERE NOT (${on} AND EXISTS (SELECT 1 FROM ${rows} l WHERE l.event_id = w.event_id))
         UNION ALL SELECT * FROM ${rows} WHERE ${on}`
        : t.combine === 'by_day'
          ? `SELECT * FROM (SELECT w.* FROM ${published} w
                          WHERE NOT (${on} AND EXISTS (SELECT 1 FROM ${rows} l WHERE l.date = w.date))
                          UNION ALL SELECT * FROM ${rows} WHERE ${on}) u ORDER BY date`
          : `SELECT * FROM ${rows} WHERE EXISTS (SELECT 1 FROM ${live}._live_info i WHERE i.${t.flag})
           UNION ALL SELECT * FROM ${published}
           WHERE NOT EXISTS (SELECT 1 FROM ${live}._live_info i WHERE i.${t.flag})`;
    await client.query(`CREATE VIEW ${live}.${ident(t.gold)} AS ${body}`);
  }
}

/**
 * Serializes a transaction that changes the overlay of gold `schema` with every other
 * (overlay changes and publishes): taken first in each, so neither waits on the other
 * holding a table it needs (a copy reads `_publish_info`, a publish drops it).
 */
export async function lockLiveOverlay(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [liveSchemaOf(schema)]);
}
