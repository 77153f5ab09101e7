import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckSession, literal, literalList } from '../duck/index.ts';
import { IS_STREAM_DELIVERY } from '../ingest/index.ts';
import type { StateDb } from '../state/index.ts';
import { TerminalError } from '../errors/index.ts';
import type { LakeLayout } from '../lake/index.ts';
import { liveFiles, readLiveManifest, writeLiveManifest, type LiveManifest, type LiveSync, type PostgresLiveOverlay } from '../warehouse/index.ts';
import { errorMessage } from '../errors/index.ts';
import { createBronzeSources } from './bronze-sources.ts';
import { LiveMarts } from './live-marts.ts';
import type { Model } from './model-declaration.ts';
import { MACROS_SQL_URL } from './macros-url.ts';

export interface LiveRefresh {
  status: 'refreshed' | 'up_to_date' | 'no_warehouse';
  /** Events new in this micro-batch, and in the whole overlay. */
  added: number;
  events: number;
  ms: number;
  /** With a PostgreSQL warehouse: how its copy of the overlay was brought up to date, or why not. */
  postgres?: { sync: LiveSync } | { error: string };
}

/**
 * This many fact files of one tier are merged into one file of the next (tier 0: one per
 * micro-batch), so a read opens few files and an event is rewritten once per tier, not at
 * every compaction as when all files were merged into one.
 */
const MERGE_AT = 16;

/**
 * The streaming micro-batch: stream batches delivered to bronze after the last build go
 * through the same models as in the daily build (stg_events, silver_events, fact_events,
 * mart_funnel, dim_date; mart_user_activity_daily as LiveMarts keeps it), against the
 * published dimensions, into the live overlay the warehouse readers apply. Each refresh
 * handles only the batches new since the previous one; a new publish starts the overlay
 * over from the sequence that build reached. One refresh runs at a time; calls during one
 * share the next.
 */
export class LiveEvents {
  private db: DuckSession | undefined;
  private base: { runId: string; seq: number; mtimeMs: number } | undefined;
  private processedSeq = 0;
  private facts: Array<{ name: string; tier: number }> = [];
  // Names stay unique across restarts: a reader may still hold the files of the last manifest.
  private version = Date.now();
  private eventCount = 0;
  /** The latest event time in the overlay (epoch ms), for the calendar. */
  private lastEventMs: number | undefined;
  /** The calendar file last written, and the last day it reaches. */
  private calendar: { lastDay: string; file: string | null } | undefined;
  private readonly marts = new LiveMarts();
  private running: Promise<LiveRefresh> | undefined;
  private queued: Promise<LiveRefresh> | undefined;
  private closed = false;
  private readonly sql: Record<'stg_events' | 'silver_events' | 'fact_events' | 'mart_funnel' | 'dim_date', string>;
  private manifest: LiveManifest | undefined;

  /** `postgres`: the PostgreSQL warehouse's copy of the overlay, kept in step with the one on disk. */
  constructor(private readonly state: StateDb, private readonly layout: LakeLayout, models: readonly Model[], private readonly postgres?: PostgresLiveOverlay) {
    const sql = (name: string) => {
      const m = models.find((x) => x.name === name);
      if (!m) throw new TerminalError('model_missing', `the live overlay needs model "${name}"`, { subject: name });
      return m.sql;
    };
    this.sql = {
      stg_events: sql('stg_events'), silver_events: sql('silver_events'), fact_events: sql('fact_events'),
      mart_funnel: sql('mart_funnel'), dim_date: sql('dim_date'),
    };
  }

  refresh(): Promise<LiveRefresh> {
    if (this.running) return (this.queued ??= this.running.then(() => undefined, () => undefined).then(() => ((this.queued = undefined), this.refresh())));
    this.running = this.refreshOnce().catch((err: unknown) => {
      // The marts count each batch once; after a refresh that failed part way, the next
      // one starts over from the published warehouse instead of counting twice.
      this.base = undefined;
      throw err;
    }).finally(() => (this.running = undefined));
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queued?.catch(() => undefined);
    await this.running?.catch(() => undefined);
    await this.db?.close();
    this.db = undefined;
    await this.postgres?.close();
  }

  private get dir(): string {
    return this.layout.live;
  }

  private async refreshOnce(): Promise<LiveRefresh> {
    const t0 = Date.now();
    let postgres: LiveRefresh['postgres'];
    const result = (status: LiveRefresh['status'], added = 0): LiveRefresh => ({ status, added, events: this.eventCount, ms: Date.now() - t0, ...(postgres ? { postgres } : {}) });
    // A delivery finishing while the server stops must not reopen what close() released.
    if (this.closed) return result('up_to_date');
    const db = await this.session();
    const rebased = await this.attachBase(db);
    if (!this.base) return result('no_warehouse');
    await mkdir(this.dir, { recursive: true });
    const files = await this.state.all<{ seq: number; bronze_path: string }>(
      `SELECT seq, bronze_path FROM ingested_files WHERE entity = 'events' AND status = 'ingested' AND ${IS_STREAM_DELIVERY} AND seq > $after ORDER BY seq`,
      { after: this.processedSeq },
    );
    if (files.length === 0 && !rebased) {
      // PostgreSQL may not have held this overlay's gold when it was made (a publish there
      // comes after the embedded one), or may have been down: copied whole once it can be.
      if (this.postgres?.behind && this.manifest) postgres = await this.toPostgres(this.manifest);
      return result('up_to_date');
    }
    const throughSeq = Number(files.at(-1)?.seq ?? this.processedSeq);
    this.version++;
    let added = 0;
    let addedFacts: string | undefined;
    if (files.length) {
      added = await this.addBatches(db, files.map((f) => this.layout.resolve(f.bronze_path)), this.processedSeq);
      const name = `facts-${throughSeq}-${this.version}.parquet`;
      addedFacts = join(this.dir, name);
      this.eventCount += Number(await db.scalar(`COPY facts_new TO ${literal(addedFacts)} (FORMAT parquet)`));
      this.facts.push({ name, tier: 0 });
      await this.mergeFacts(db, throughSeq);
    }
    this.processedSeq = throughSeq;
    const empty = this.eventCount === 0;
    const manifest: LiveManifest = {
      baseRunId: this.base.runId, baseSeq: this.base.seq, throughSeq, refreshedAt: new Date().toISOString(), events: this.eventCount,
      facts: empty ? [] : this.facts.map((f) => f.name),
      activity: empty ? null : await this.writeActivity(db),
      funnel: empty ? null : await this.writeFunnel(db),
      dimDate: empty ? null : await this.writeDimDate(db),
    };
    const previous = await readLiveManifest(this.dir);
    await writeLiveManifest(this.dir, manifest);
    this.manifest = manifest;
    // Before the files this refresh added are removed (after a compaction).
    if (this.postgres) postgres = await this.toPostgres(manifest, addedFacts);
    await this.removeUnlisted([manifest, previous?.manifest]);
    return result('refreshed', added);
  }

  /** Merges a full tier of fact files into one of the next tier, and on up. */
  private async mergeFacts(db: DuckSession, throughSeq: number): Promise<void> {
    for (let tier = 0; ; tier++) {
      const full = this.facts.filter((f) => f.tier === tier);
      if (full.length < MERGE_AT) return;
      const merged = { name: `facts-${throughSeq}-${this.version}-t${tier + 1}.parquet`, tier: tier + 1 };
      const files = literalList(full.map((f) => join(this.dir, f.name)));
      await db.run(`COPY (SELECT * FROM read_parquet(${files})) TO ${literal(join(this.dir, merged.name))} (FORMAT parquet)`);
      this.facts = [...this.facts.filter((f) => f.tier !== tier), merged];
    }
  }

  /** The overlay into the PostgreSQL warehouse; a failure there leaves the one on disk serving and is reported. */
  private async toPostgres(manifest: LiveManifest, addedFacts?: string): Promise<LiveRefresh['postgres']> {
    try {
      return { sync: await this.postgres!.apply({ liveDir: this.dir, manifest, addedFacts }) };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  }

  /** New bronze stream batches → stg → silver → facts against the published dimensions. */
  private async addBatches(db: DuckSession, files: string[], afterSeq: number): Promise<number> {
    // A merged hour (compactStreamBronze) holds deliveries read before too.
    await createBronzeSources(db, { events: files }, { after: afterSeq });
    await db.run(`CREATE OR REPLACE TEMP TABLE stg_events AS ${this.sql.stg_events}`);
    await db.run(`CREATE OR REPLACE TEMP TABLE live_new AS ${this.sql.silver_events}`);
    // Not deduplicated against earlier batches: delivery already admits each event id into
    // bronze once (stream_ids); a landing file's copy of an id is shadowed by the readers' anti-join.
    const last = await db.scalar<number | null>('SELECT epoch_ms(max(event_ts)) FROM live_new');
    if (last !== null && last !== undefined) this.lastEventMs = Math.max(this.lastEventMs ?? -Infinity, Number(last));
    await db.run('CREATE OR REPLACE TEMP VIEW silver_events AS SELECT * FROM live_new');
    // The overlay's facts are its Parquet files: they are what readers see, and an
    // in-memory copy cost as much as writing them.
    await db.run(`CREATE OR REPLACE TEMP TABLE facts_new AS ${this.sql.fact_events}`);
    await this.marts.findReplaced(db);
    return Number(await db.scalar('SELECT count(*) FROM live_new'));
  }

  /** mart_user_activity_daily for the days the new events touch (see LiveMarts). */
  private async writeActivity(db: DuckSession): Promise<string | null> {
    const silver = join(this.layout.zone('silver'), 'silver_events.parquet');
    if (!(await stat(silver).then(() => true, () => false))) return null;
    await this.marts.addActivity(db, silver);
    await db.run('CREATE TABLE IF NOT EXISTS live_activity AS SELECT * FROM activity_new WHERE false');
    await db.run('DELETE FROM live_activity WHERE date IN (SELECT date FROM activity_new)');
    await db.run('INSERT INTO live_activity SELECT * FROM activity_new');
    return this.writeTable(db, 'activity', 'SELECT * FROM live_activity ORDER BY date');
  }

  private async writeFunnel(db: DuckSession): Promise<string> {
    await this.marts.addFunnel(db);
    return this.writeTable(db, 'funnel', this.sql.mart_funnel);
  }

  /** The calendar, when live events reach past the published one's last day. */
  private async writeDimDate(db: DuckSession): Promise<string | null> {
    if (this.lastEventMs === undefined) return null;
    const lastDay = new Date(this.lastEventMs).toISOString().slice(0, 10);
    // The calendar only changes when the last day does: the file written for it still holds.
    if (this.calendar?.lastDay === lastDay) return this.calendar.file;
    const last = `epoch_ms(${Math.trunc(this.lastEventMs)}::BIGINT)`;
    const beyond = await db.scalar<boolean>(`SELECT ${last}::DATE > (SELECT max(date) FROM wh.main.dim_date)`);
    this.calendar = { lastDay, file: beyond ? await this.calendarTo(db, last) : null };
    return this.calendar.file;
  }

  private async calendarTo(db: DuckSession, last: string): Promise<string> {
    await db.run('CREATE OR REPLACE TEMP VIEW silver_orders AS SELECT NULL::TIMESTAMP AS order_ts WHERE false');
    await db.run(`CREATE OR REPLACE TEMP VIEW silver_events AS
      SELECT min(date)::TIMESTAMP AS event_ts FROM wh.main.dim_date WHERE date_key > 0 UNION ALL SELECT ${last}`);
    return this.writeTable(db, 'dim_date', this.sql.dim_date);
  }

  /** Writes a query's result as a new overlay file. */
  private async writeTable(db: DuckSession, name: string, sql: string): Promise<string> {
    const file = `${name}-${this.processedSeq}-${this.version}.parquet`;
    await db.run(`COPY (${sql}) TO ${literal(join(this.dir, file))} (FORMAT parquet)`);
    return file;
  }

  /**
   * Attaches the published warehouse (again when a publish replaced it). A new publish
   * folded the earlier overlay's events in, so the overlay starts over after its sequence.
   */
  private async attachBase(db: DuckSession): Promise<boolean> {
    const mtimeMs = await stat(this.layout.warehouseDb).then((s) => s.mtimeMs, () => 0);
    if (this.base && this.base.mtimeMs === mtimeMs) return false;
    this.base = undefined;
    await db.run('DETACH DATABASE IF EXISTS wh');
    if (mtimeMs === 0) return false;
    await db.run(`ATTACH ${literal(this.layout.warehouseDb)} AS wh (READ_ONLY)`);
    const info = await db.one<{ run_id: string; seq: number | null }>('SELECT run_id, built_through_seq AS seq FROM wh.main._publish_info').catch(() => undefined);
    // A warehouse published before the overlay existed does not say what it was built through.
    if (!info || info.seq === null) return false;
    this.base = { runId: info.run_id, seq: Number(info.seq), mtimeMs };
    this.processedSeq = this.base.seq;
    this.facts = [];
    this.eventCount = 0;
    this.lastEventMs = undefined;
    this.calendar = undefined;
    await db.run('DROP TABLE IF EXISTS live_activity');
    await this.marts.reset(db);
    for (const v of ['dim_customer', 'dim_product']) await db.run(`CREATE OR REPLACE TEMP VIEW ${v} AS SELECT * FROM wh.main.${v}`);
    return true;
  }

  private async session(): Promise<DuckSession> {
    if (this.db) return this.db;
    // One thread, as the stream's own database (openStreamDb) and for the same reason: a
    // micro-batch is small, and a second thread competes with the collector's event loop.
    const db = await DuckSession.open(':memory:', { memoryLimit: '512MB', threads: 1 });
    await db.run('SET preserve_insertion_order = false');
    await db.run(await readFile(MACROS_SQL_URL, 'utf8'));
    this.db = db;
    return db;
  }

  /** Overlay files neither the new manifest nor the one before it lists (a reader may still hold that one). */
  private async removeUnlisted(manifests: Array<LiveManifest | undefined>): Promise<void> {
    const keep = new Set(manifests.flatMap((m) => (m ? liveFiles(this.dir, m) : [])));
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const path = join(this.dir, name);
      if (name.endsWith('.parquet') && !keep.has(path)) await rm(path, { force: true });
    }
  }
}
