import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckSession, literal, literalList } from '../duck/index.ts';
import type { LakeLayout } from '../lake/index.ts';
import type { LiveManifest } from './live-overlay.ts';
import { createBronzeSources } from '../transform/index.ts';
import { LiveMarts } from './live-marts.ts';
import { MACROS_SQL_URL } from '../transform/index.ts';

/** The models a micro-batch runs, by name: their SQL. */
export type LiveModelSql = Record<'stg_events' | 'silver_events' | 'fact_events' | 'mart_funnel' | 'dim_date', string>;

/** The published warehouse a generation is built on: its run, the ledger sequence it reached, its file's mtime. */
export interface LiveBase {
  runId: string;
  seq: number;
  mtimeMs: number;
}

/**
 * This many fact files of one tier are merged into one file of the next (tier 0: one per
 * micro-batch), so a read opens few files and an event is rewritten once per tier, not at
 * every compaction as when all files were merged into one.
 */
const MERGE_AT = 16;

/**
 * The live overlay built on one published warehouse: stream batches delivered after the
 * sequence that build reached go through the same models as in the daily build
 * (stg_events, silver_events, fact_events, mart_funnel, dim_date; mart_user_activity_daily
 * as LiveMarts keeps it) against that warehouse's dimensions, in a DuckDB session of its
 * own. Its files are named with its `tag`, so a generation being caught up beside the one
 * serving writes files the other does not know and must not remove.
 */
export class LiveGeneration {
  /** The last ledger sequence whose batch is in the generation. */
  processedSeq: number;
  eventCount = 0;
  private facts: Array<{ name: string; tier: number }> = [];
  /** The latest event time in the generation (epoch ms), for the calendar. */
  private lastEventMs: number | undefined;
  /** The calendar file last written, and the last day it reaches. */
  private calendar: { lastDay: string; file: string | null } | undefined;
  private readonly marts = new LiveMarts();
  /** Whether the published silver file exists (the activity mart is kept from it). */
  private activity = false;
  private prepared = false;

  private constructor(
    private readonly db: DuckSession,
    readonly base: LiveBase,
    readonly tag: string,
    private readonly dir: string,
    private readonly layout: LakeLayout,
    private readonly sql: LiveModelSql,
    private readonly version: () => number,
  ) {
    this.processedSeq = base.seq;
  }

  /**
   * A generation on the warehouse published now; undefined when there is none, or one
   * published before the overlay existed (it does not say what it was built through). The
   * session attaches the file as it is: a later publish replaces the file, not what is attached.
   */
  static async open(layout: LakeLayout, sql: LiveModelSql, version: () => number): Promise<LiveGeneration | undefined> {
    const mtimeMs = await stat(layout.warehouseDb).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    if (mtimeMs === 0) return undefined;
    // One thread, as the stream's own database (openStreamDb) and for the same reason: a
    // micro-batch is small, and a second thread competes with the collector's event loop.
    const db = await DuckSession.open(':memory:', { memoryLimit: '512MB', threads: 1 });
    try {
      await db.run('SET preserve_insertion_order = false');
      await db.run(await readFile(MACROS_SQL_URL, 'utf8'));
      await db.run(`ATTACH ${literal(layout.warehouseDb)} AS wh (READ_ONLY)`);
      const info = await db
        .one<{ run_id: string; seq: number | null }>(
          'SELECT run_id, built_through_seq AS seq FROM wh.main._publish_info',
        )
        .catch(() => undefined);
      if (!info || info.seq === null) {
        await db.close();
        return undefined;
      }
      return new LiveGeneration(
        db,
        { runId: info.run_id, seq: Number(info.seq), mtimeMs },
        `g${version()}`,
        layout.live,
        layout,
        sql,
        version,
      );
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  /**
   * Adds stream batches (bronze files, in sequence order, through
   * `throughSeq`); returns the events added and the facts file written.
   */
  async add(files: string[], throughSeq: number): Promise<{ added: number; addedFacts?: string }> {
    if (files.length === 0) return { added: 0 };
    await this.prepare();
    const db = this.db;
    // A merged hour (compactStreamBronze) holds deliveries read before too.
    await createBronzeSources(db, { events: files }, { after: this.processedSeq });
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
    const added = Number(await db.scalar('SELECT count(*) FROM live_new'));
    const name = `${this.tag}-facts-${throughSeq}-${this.version()}.parquet`;
    this.eventCount += Number(await db.scalar(`COPY facts_new TO ${literal(join(this.dir, name))} (FORMAT parquet)`));
    this.facts.push({ name, tier: 0 });
    await this.mergeFacts(throughSeq);
    // The marts are counted here, batch by batch, so that writing a manifest costs only its files.
    if (this.activity) await this.addActivity();
    await this.marts.addFunnel(db);
    this.processedSeq = throughSeq;
    return { added, addedFacts: join(this.dir, name) };
  }

  /**
   * Writes the marts' files and returns the manifest that lists them,
   * over `base` (this generation's own, or a newer one it stands in for).
   */
  async manifest(base: LiveBase, throughSeq: number): Promise<LiveManifest> {
    const empty = this.eventCount === 0;
    return {
      baseRunId: base.runId,
      baseSeq: base.seq,
      throughSeq,
      refreshedAt: new Date().toISOString(),
      events: this.eventCount,
      facts: empty ? [] : this.facts.map((f) => f.name),
      activity:
        empty || !this.activity ? null : await this.writeTable('activity', 'SELECT * FROM live_activity ORDER BY date'),
      funnel: empty ? null : await this.writeTable('funnel', this.sql.mart_funnel),
      dimDate: empty ? null : await this.writeDimDate(),
    };
  }

  /** Whether `name` (a file in the live folder) is one of this generation's. */
  owns(name: string): boolean {
    return name.startsWith(`${this.tag}-`);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /**
   * What every batch is counted against: the published event ids, the dimensions, the
   * activity kept so far. Reads every published event, so a
   * generation caught up beside the serving one does it there, not on the first refresh after.
   */
  async prepare(): Promise<void> {
    if (this.prepared) return;
    const db = this.db;
    await this.marts.reset(db);
    for (const v of ['dim_customer', 'dim_product'])
      await db.run(`CREATE OR REPLACE TEMP VIEW ${v} AS SELECT * FROM wh.main.${v}`);
    this.activity = await stat(this.publishedSilver).then(
      () => true,
      () => false,
    );
    this.prepared = true;
  }

  private get publishedSilver(): string {
    return join(this.layout.zone('silver'), 'silver_events.parquet');
  }

  /** Merges a full tier of fact files into one of the next tier, and on up. */
  private async mergeFacts(throughSeq: number): Promise<void> {
    for (let tier = 0; ; tier++) {
      const full = this.facts.filter((f) => f.tier === tier);
      if (full.length < MERGE_AT) return;
      const merged = { name: `${this.tag}-facts-${throughSeq}-${this.version()}-t${tier + 1}.parquet`, tier: tier + 1 };
      const files = literalList(full.map((f) => join(this.dir, f.name)));
      await this.db.run(
        `COPY (SELECT * FROM read_parquet(${files})) TO ${literal(join(this.dir, merged.name))} (FORMAT parquet)`,
      );
      this.facts = [...this.facts.filter((f) => f.tier !== tier), merged];
    }
  }

  /** mart_user_activity_daily for the days the batch touches (see LiveMarts). */
  private async addActivity(): Promise<void> {
    const db = this.db;
    await this.marts.addActivity(db, this.publishedSilver);
    await db.run('CREATE TABLE IF NOT EXISTS live_activity AS SELECT * FROM activity_new WHERE false');
    await db.run('DELETE FROM live_activity WHERE date IN (SELECT date FROM activity_new)');
    await db.run('INSERT INTO live_activity SELECT * FROM activity_new');
  }

  /** The calendar, when live events reach past the published one's last day. */
  private async writeDimDate(): Promise<string | null> {
    if (this.lastEventMs === undefined) return null;
    const lastDay = new Date(this.lastEventMs).toISOString().slice(0, 10);
    // The calendar only changes when the last day does: the file written for it still holds.
    if (this.calendar?.lastDay === lastDay) return this.calendar.file;
    const last = `epoch_ms(${Math.trunc(this.lastEventMs)}::BIGINT)`;
    const beyond = await this.db.scalar<boolean>(`SELECT ${last}::DATE > (SELECT max(date) FROM wh.main.dim_date)`);
    this.calendar = { lastDay, file: beyond ? await this.calendarTo(last) : null };
    return this.calendar.file;
  }

  private async calendarTo(last: string): Promise<string> {
    await this.db.run('CREATE OR REPLACE TEMP VIEW silver_orders AS SELECT NULL::TIMESTAMP AS order_ts WHERE false');
    await this.db.run(`CREATE OR REPLACE TEMP VIEW silver_events AS
      SELECT min(date)::TIMESTAMP AS event_ts FROM wh.main.dim_date WHERE date_key > 0 UNION ALL SELECT ${last}`);
    return this.writeTable('dim_date', this.sql.dim_date);
  }

  /** Writes a query's result as a new overlay file. */
  private async writeTable(name: string, sql: string): Promise<string> {
    const file = `${this.tag}-${name}-${this.processedSeq}-${this.version()}.parquet`;
    await this.db.run(`COPY (${sql}) TO ${literal(join(this.dir, file))} (FORMAT parquet)`);
    return file;
  }
}
