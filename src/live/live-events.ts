import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { streamDeliveriesAfter } from '../ledger/index.ts';
import type { StateDb } from '../state/index.ts';
import { errorMessage, TerminalError } from '../errors/index.ts';
import type { LakeLayout } from '../lake/index.ts';
import { liveFiles, readLiveManifest, writeLiveManifest, type LiveManifest } from './live-overlay.ts';
import type { LiveMirror, LiveSync } from './live-mirror.ts';
import { LiveGeneration, type LiveModelSql } from './live-generation.ts';
import type { Model } from '../transform/index.ts';

export interface LiveRefresh {
  status: 'refreshed' | 'up_to_date' | 'no_warehouse';
  /** Events new in this micro-batch, and in the whole overlay. */
  added: number;
  events: number;
  ms: number;
  /**
   * After a publish: the new warehouse's overlay is being caught up beside the one serving
   * (`catching_up`), or took over with this refresh (`rebased`).
   */
  rebase?: 'catching_up' | 'rebased';
  /** With a PostgreSQL warehouse: how its copy of the overlay was brought up to date, or why not. */
  postgres?: { sync: LiveSync } | { error: string };
}

/** A generation caught up beside the serving one takes over once at most this many batches are left for it. */
const TAKE_OVER_AT = 2;

/**
 * How long an overlay file outlives the last manifest that listed it. A reader lays the
 * overlay of the manifest it read (DuckDB opens the files as it creates the views) and then
 * queries it; under load, micro-batches came faster than that, and a file removed with the
 * manifest after next failed a reader's view ("No files found": the compaction test of
 * test/live-overlay.test.ts failed so in two runs of six on a loaded machine).
 */
const UNLISTED_GRACE_MS = 30_000;

interface CatchingUp {
  gen: LiveGeneration;
  ready: boolean;
  failed?: unknown;
  pass: Promise<void>;
}

/**
 * The streaming micro-batch: each refresh adds the stream batches delivered since the
 * previous one to the live overlay (a LiveGeneration, built on the published warehouse)
 * and publishes its manifest, which the warehouse readers apply. One refresh runs at a
 * time; calls during one share the next.
 *
 * A publish folds the overlay's older events into the warehouse, and the overlay must
 * start over on it. Starting over in line made the first refresh after a publish take
 * every batch delivered during the build, and
 * nothing new was visible meanwhile. Instead the new warehouse's generation is caught up
 * beside the serving one, which goes on adding batches and stands in for it (its manifest
 * names the new warehouse: readers take a published event's streamed copy once, by
 * event_id, and its marts hold the stream since the earlier build, a superset of what the
 * new one folded in). It takes over when a refresh finds it within a batch or two of the
 * stream; until then a new event's keys are those of the earlier warehouse's dimensions.
 */
export class LiveEvents {
  private current: LiveGeneration | undefined;
  private next: CatchingUp | undefined;
  // Names stay unique across restarts: a reader may still hold the files of the last manifest.
  private version = Date.now();
  private running: Promise<LiveRefresh> | undefined;
  private queued: Promise<LiveRefresh> | undefined;
  private closed = false;
  /** Overlay files no manifest lists any more, and since when (removed after UNLISTED_GRACE_MS). */
  private readonly unlistedSince = new Map<string, number>();
  private readonly sql: LiveModelSql;
  private manifest: LiveManifest | undefined;

  /**
   * `postgres`: the PostgreSQL warehouse's copy of the overlay, kept in step with the one on
   * disk. `onCaughtUp`: a new warehouse's generation is ready to take over (refresh then).
   */
  constructor(
    private readonly state: StateDb,
    private readonly layout: LakeLayout,
    models: readonly Model[],
    private readonly postgres?: LiveMirror,
    private readonly onCaughtUp?: () => void,
  ) {
    const sql = (name: string) => {
      const m = models.find((x) => x.name === name);
      if (!m) throw new TerminalError('model_missing', `the live overlay needs model "${name}"`, { subject: name });
      return m.sql;
    };
    this.sql = {
      stg_events: sql('stg_events'),
      silver_events: sql('silver_events'),
      fact_events: sql('fact_events'),
      mart_funnel: sql('mart_funnel'),
      dim_date: sql('dim_date'),
    };
  }

  refresh(): Promise<LiveRefresh> {
    if (this.running)
      return (this.queued ??= this.running
        .then(
          () => undefined,
          () => undefined,
        )
        .then(() => ((this.queued = undefined), this.refresh())));
    this.running = this.refreshOnce()
      .catch(async (err: unknown) => {
        // The marts count each batch once; after a refresh that failed part way, the next
        // one starts over from the published warehouse instead of counting twice.
        await this.drop();
        throw err;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queued?.catch(() => undefined);
    await this.running?.catch(() => undefined);
    await this.drop();
    await this.postgres?.close();
  }

  private get dir(): string {
    return this.layout.live;
  }

  private readonly nextVersion = () => ++this.version;

  private async refreshOnce(): Promise<LiveRefresh> {
    const t0 = Date.now();
    let postgres: LiveRefresh['postgres'];
    let rebase: LiveRefresh['rebase'];
    const result = (status: LiveRefresh['status'], added = 0): LiveRefresh => ({
      status,
      added,
      events: this.current?.eventCount ?? 0,
      ms: Date.now() - t0,
      ...(rebase ? { rebase } : {}),
      ...(postgres ? { postgres } : {}),
    });
    // A delivery finishing while the server stops must not reopen what close() released.
    if (this.closed) return result('up_to_date');
    let started = false;
    if (!this.current) {
      this.current = await LiveGeneration.open(this.layout, this.sql, this.nextVersion);
      if (!this.current) return result('no_warehouse');
      started = true;
    } else if (
      !this.next &&
      (await stat(this.layout.warehouseDb).then(
        (s) => s.mtimeMs,
        () => 0,
      )) !== this.current.base.mtimeMs
    ) {
      const gen = await LiveGeneration.open(this.layout, this.sql, this.nextVersion);
      if (gen) this.next = this.catchUp(gen);
    }
    if (this.next?.failed !== undefined) throw this.next.failed;
    if (this.next?.ready) {
      await this.current.close();
      this.current = this.next.gen;
      this.next = undefined;
      started = true;
      rebase = 'rebased';
    } else if (this.next) {
      rebase = 'catching_up';
    }
    const gen = this.current;
    // The newest published warehouse, once its generation is open: the serving one stands in for it.
    const base = this.next?.gen.base ?? gen.base;
    await mkdir(this.dir, { recursive: true });
    const files = await this.pending(gen.processedSeq);
    if (files.length === 0 && !started && this.manifest?.baseRunId === base.runId) {
      // PostgreSQL may not have held this overlay's gold when it was made (a publish there
      // comes after the embedded one), or may have been down: copied whole once it can be.
      if (this.postgres?.behind && this.manifest) postgres = await this.toPostgres(this.manifest);
      return result('up_to_date');
    }
    const throughSeq = Number(files.at(-1)?.seq ?? gen.processedSeq);
    const { added, addedFacts } = await gen.add(
      files.map((f) => f.path),
      throughSeq,
    );
    const manifest = await gen.manifest(base, throughSeq);
    const previous = await readLiveManifest(this.dir);
    await writeLiveManifest(this.dir, manifest);
    this.manifest = manifest;
    // Before the files this refresh added are removed (after a compaction).
    if (this.postgres) postgres = await this.toPostgres(manifest, addedFacts, started);
    await this.removeUnlisted([manifest, previous?.manifest]);
    return result('refreshed', added);
  }

  /** Stream batches in bronze after `afterSeq`, in sequence order. */
  private async pending(afterSeq: number): Promise<Array<{ seq: number; path: string }>> {
    return streamDeliveriesAfter(this.state, this.layout, 'events', afterSeq);
  }

  /**
   * Brings a new warehouse's generation up to the stream in passes beside the serving one:
   * each pass takes what was delivered during the one before, so they shrink, until a
   * refresh can take the rest in line.
   */
  private catchUp(gen: LiveGeneration): CatchingUp {
    const next: CatchingUp = { gen, ready: false, pass: Promise.resolve() };
    next.pass = (async () => {
      await gen.prepare();
      for (;;) {
        if (this.closed || this.next !== next) return;
        const files = await this.pending(gen.processedSeq);
        if (files.length <= TAKE_OVER_AT) break;
        await gen.add(
          files.map((f) => f.path),
          files.at(-1)!.seq,
        );
      }
      next.ready = true;
      this.onCaughtUp?.();
    })().catch((err: unknown) => {
      next.failed = err;
    });
    return next;
  }

  /** Closes both generations: the next refresh starts over from the published warehouse. */
  private async drop(): Promise<void> {
    const [current, next] = [this.current, this.next];
    this.current = undefined;
    this.next = undefined;
    await current?.close();
    if (next) {
      await next.pass;
      await next.gen.close();
    }
  }

  /**
   * The overlay into the PostgreSQL warehouse (`whole`: its facts are another generation's,
   * not the last copy's and `addedFacts`); a failure there leaves the one on disk serving and is reported.
   */
  private async toPostgres(
    manifest: LiveManifest,
    addedFacts?: string,
    whole = false,
  ): Promise<LiveRefresh['postgres']> {
    try {
      return { sync: await this.postgres!.apply({ liveDir: this.dir, manifest, addedFacts, whole }) };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  }

  /**
   * Overlay files neither the new manifest nor the one before it lists, nor the generation
   * being caught up writes, once they have been so for UNLISTED_GRACE_MS.
   */
  private async removeUnlisted(manifests: Array<LiveManifest | undefined>): Promise<void> {
    const keep = new Set(manifests.flatMap((m) => (m ? liveFiles(this.dir, m).map((f) => basename(f)) : [])));
    const now = Date.now();
    const names = new Set(await readdir(this.dir).catch(() => [] as string[]));
    for (const name of this.unlistedSince.keys()) if (!names.has(name)) this.unlistedSince.delete(name);
    for (const name of names) {
      if (!name.endsWith('.parquet') || keep.has(name) || this.next?.gen.owns(name)) {
        this.unlistedSince.delete(name);
        continue;
      }
      const since = this.unlistedSince.get(name) ?? now;
      this.unlistedSince.set(name, since);
      if (now - since < UNLISTED_GRACE_MS) continue;
      await rm(join(this.dir, name), { force: true });
      this.unlistedSince.delete(name);
    }
  }
}
