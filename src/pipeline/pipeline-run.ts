import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ChildDuckSession, DuckSession, ident, type SqlSession } from '../duck/index.ts';
import { errorMessage, TerminalError, TransientError } from '../errors/index.ts';
import {
  compactStreamBronze,
  fetchRestSource,
  ingestLanding,
  IngestQueue,
  pendingLandingFiles,
  type RestFetchResult,
  type StreamCompaction,
} from '../ingest/index.ts';
import {
  isS3Url,
  LakeLayout,
  mirrorS3Prefix,
  openNextDirectory,
  parseS3Url,
  recoverSwap,
  S3Lake,
  unloadPartition,
  withS3Store,
  pathExists,
  type S3Location,
} from '../lake/index.ts';
import { computeQualityReport, recordTestResults } from '../quality/index.ts';
import { deleteKv, getKv, JobQueue, setKv, type StateDb } from '../state/index.ts';
import { bronzeFilesThrough, forgetLandingFiles, highestSeq, landingFileOutputs } from '../ledger/index.ts';
import { forgetSchemas } from '../catalog/index.ts';
import {
  buildModel,
  createBronzeSources,
  lakeZoneOf,
  MACROS_SQL_URL,
  ModelReaders,
  type Model,
} from '../transform/index.ts';
import type { RunInfo, RunResources, RunState } from '../dag/index.ts';
import { buildModelOnWorker } from './model-on-worker.ts';
import { RunSummaries } from './run-summaries.ts';
import { publishBuild } from './publish-build.ts';
import { retryDelay, retryPolicy } from '../dag/index.ts';
import type { RunOptions } from './run-options.ts';
import { emptySummary, tallyFiles, tallyModel, type RunSummary } from './run-summary.ts';
import { timeStage, type StageStats } from './stage-timer.ts';

const PUBLISHED_SEQ = 'published_through_seq';

export interface PipelineHome {
  state: StateDb;
  work: DuckSession;
  opts: Omit<RunOptions, 'fullRefresh' | 'logicalDate'>;
  models: readonly Model[];
  onClose?: (s: RunSummary) => void;
}

/**
 * What the tasks of one pipeline run share: the state store, the process's DuckDB for
 * ingest work (the home's state file), the in-memory build
 * database the models are built in (spilling to <home>/tmp), and the run summary each
 * step adds to. Each method is one step of the daily DAG.
 */
export class PipelineRun {
  /** The DuckDB the run's builds, merges and unloads work in, opened at first use. */
  private engine: Promise<SqlSession> | undefined;
  private build: SqlSession | undefined;
  private readers: ModelReaders;
  private readonly modelsByName: Map<string, Model>;
  private modelsDone = 0;
  private transformStart = 0;
  private builtThroughSeq = 0;
  /** Where this build writes the silver and gold zones, swapped in whole at publish. */
  private zoneNext: Record<'silver' | 'gold', string> | undefined;
  /** The bronze files this build reads, per entity (absolute paths, for workers too). */
  private bronzeFiles: Record<string, string[]> = {};
  /** The task queues to `shoplake worker` processes, opened at first use. */
  private jobs: Promise<JobQueue> | undefined;
  /** An s3:// landing zone, mirrored into `landingDir` before each look at it. */
  private readonly s3Landing: S3Location | undefined;
  /** The folder the run ingests from: the landing folder, or an S3 landing zone's mirror. */
  private readonly landingDir: string;
  /** The S3 lake the zones and processed partitions are published to as well. */
  private readonly s3Lake: S3Lake | undefined;

  constructor(
    readonly summary: RunSummary,
    readonly layout: LakeLayout,
    readonly state: StateDb,
    readonly work: DuckSession,
    readonly opts: RunOptions,
    readonly models: readonly Model[],
  ) {
    this.readers = new ModelReaders(models);
    this.modelsByName = new Map(models.map((m) => [m.name, m]));
    this.s3Lake = S3Lake.of(opts.lakeUrl, opts.s3);
    this.s3Landing = isS3Url(opts.landing) ? parseS3Url(opts.landing) : undefined;
    this.landingDir = this.s3Landing
      ? layout.landingMirror(this.s3Landing.bucket, this.s3Landing.prefix)
      : opts.landing;
  }

  /**
   * The shared resources of one daily DAG run: its summary, recorded in the `runs` table
   * when it starts and when it ends. `conf.fullRefresh` forgets every ingested file first
   * and rebuilds the lake from the landing folder (run history stays).
   */
  static async open(run: RunInfo, home: PipelineHome): Promise<RunResources<PipelineRun>> {
    const fullRefresh = run.conf['fullRefresh'] === true;
    const landing = typeof run.conf['landing'] === 'string' ? run.conf['landing'] : home.opts.landing;
    const layout = new LakeLayout(home.opts.home);
    const summary = emptySummary(run.runId, fullRefresh ? 'full_refresh' : 'incremental');
    const { state } = home;
    if (fullRefresh) await resetForFullRefresh(state, layout);
    const summaries = new RunSummaries(state);
    await summaries.started(summary);
    const pipeline = new PipelineRun(
      summary,
      layout,
      state,
      home.work,
      { ...home.opts, landing, fullRefresh },
      home.models,
    );
    return {
      value: pipeline,
      close: async (final, failure) => {
        await pipeline.close(final);
        if (failure) {
          const kind = failure.kind === 'terminal' || failure.kind === 'transient' ? failure.kind : 'internal';
          summary.error = {
            code: failure.code,
            kind,
            message: failure.message,
            subject: failure.task,
            ...(failure.hint ? { hint: failure.hint } : {}),
          };
        }
        summary.finishedAt = new Date().toISOString();
        summary.ms = Date.parse(summary.finishedAt) - Date.parse(summary.startedAt);
        await summaries.finished(summary);
        home.onClose?.(summary);
      },
    };
  }

  /**
   * Every configured API into the landing zone, each from its saved cursor; a cursor moves
   * only after its pages are landed. One source failing does not stop the others; the
   * task then fails (and is retried) naming them.
   */
  async fetchApis(): Promise<RestFetchResult[]> {
    const results: RestFetchResult[] = [];
    const failures: string[] = [];
    const policy = retryPolicy({ maxAttempts: 10, initialDelayMs: 200, maxDelayMs: 5_000 });
    const runStamp = new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15);
    for (const source of this.opts.restSources ?? []) {
      const key = `rest_cursor:${source.name}`;
      try {
        const r = await fetchRestSource(source, {
          landing: this.landingDir,
          cursor: await getKv(this.state, key),
          delayMs: (a) => retryDelay(policy, a, Math.random()),
          runStamp,
        });
        if (r.cursor) await setKv(this.state, key, r.cursor);
        results.push(r);
      } catch (err) {
        failures.push(`${source.name}: ${errorMessage(err)}`);
      }
    }
    if (failures.length)
      throw new TransientError('api_fetch_failed', `${failures.length} API source(s) failed: ${failures.join('; ')}`, {
        subject: 'fetch_api',
        hint: 'pages already landed stay; the retry resumes from the saved cursors',
      });
    return results;
  }

  /** New landing files, and whether anything at all is left to do. */
  async checkLanding(): Promise<{ discovered: number; pending: number; upToDate: boolean }> {
    for (const zone of ['silver', 'gold'] as const) await recoverSwap(this.layout.zone(zone));
    if (this.s3Landing) await this.mirrorLanding(this.s3Landing);
    const { files, pending: waiting } = await pendingLandingFiles(this.state, this.layout, this.landingDir);
    const pending = waiting.length;
    this.summary.files.discovered = files.length;
    this.summary.files.unchanged = files.length - pending;
    return {
      discovered: files.length,
      pending,
      upToDate: pending === 0 && !this.opts.fullRefresh && (await this.isPublished()),
    };
  }

  /** Landing → bronze for every new file. Returns false when nothing new needs publishing. */
  async ingest(signal?: AbortSignal): Promise<boolean> {
    const policy = retryPolicy({
      maxAttempts: this.opts.fileAttempts ?? 3,
      initialDelayMs: this.opts.retryDelayMs ?? 500,
    });
    const queue = this.opts.workers ? new IngestQueue(await this.jobQueue()) : undefined;
    const ingest = await timeStage(
      'ingest',
      () =>
        ingestLanding({
          landing: this.landingDir,
          state: this.state,
          db: this.work,
          layout: this.layout,
          batchId: this.summary.runId,
          ...(this.opts.progress ? { progress: this.opts.progress } : {}),
          fileAttempts: policy.maxAttempts,
          retryDelay: (attempt) => retryDelay(policy, attempt, Math.random()),
          ...(queue ? { queue, idleMs: this.opts.workers!.idleMs } : {}),
          ...(this.opts.ingestConcurrency ? { concurrency: this.opts.ingestConcurrency } : {}),
          ...(signal ? { signal } : {}),
        }),
      (r) => r.results.reduce((n, f) => n + ('rowsOk' in f ? f.rowsOk : 0), 0),
    );
    this.addStage(ingest.stats);
    tallyFiles(this.summary, ingest.result.discovered, ingest.result.unchanged, ingest.result.results);
    return this.opts.fullRefresh === true || !(await this.isPublished());
  }

  /**
   * The stream deliveries of closed hours merged, one bronze file per hour and day, before
   * the build lists bronze (and while no build of this process reads it). An hour that
   * fails to merge keeps its small files, which read the same; it is tried again next run.
   */
  async compactStream(): Promise<StreamCompaction[]> {
    const db = await (await this.openEngine()).fork();
    const t0 = performance.now();
    let rows = 0;
    try {
      const { result, stats } = await timeStage(
        'compact',
        () =>
          compactStreamBronze(db, this.state, this.layout, {
            onHour: (c, done, total) => {
              if (c.status === 'compacted') rows += c.rows;
              this.opts.progress?.({
                stage: 'compact',
                done,
                total,
                unit: 'hours',
                rows,
                elapsedMs: Math.round(performance.now() - t0),
                item: `${c.stream} ${c.hour}`,
              });
            },
          }),
        () => rows,
      );
      if (result.length) this.addStage(stats);
      return result;
    } finally {
      await db.close();
    }
  }

  /**
   * The build database: cleansing macros and one bronze view per entity over the files the
   * ledger lists. Returns the entities and where the build runs.
   */
  async openBuild(): Promise<{ entities: string[]; engine: string }> {
    const db = await this.openEngine();
    this.build = db;
    // Every order that matters in a model is spelled out (ORDER BY, window orders, keys by
    // row_number over an ordering), so DuckDB may write tables in any order: faster, less memory.
    await db.run('SET preserve_insertion_order = false');
    await db.run(await readFile(MACROS_SQL_URL, 'utf8'));
    this.zoneNext = {
      silver: await openNextDirectory(this.layout.zone('silver')),
      gold: await openNextDirectory(this.layout.zone('gold')),
    };
    // What this build reads is the ledger as of now: stream batches delivered while it runs
    // are left for the next build, and the published sequence says so.
    this.builtThroughSeq = await this.maxSeq();
    const files = await bronzeFilesThrough(this.state, this.layout, this.builtThroughSeq);
    await createBronzeSources(db, files);
    this.bronzeFiles = files;
    const where =
      db instanceof ChildDuckSession
        ? `process ${db.pid} (nice +${this.opts.buildProcess?.nice ?? 0})`
        : 'this process';
    return { entities: Object.keys(files), engine: where };
  }

  /**
   * One model and its data tests, on a connection of its own or, with `workers.models`, on a
   * worker (then every model's table is a Parquet file the build reads through a view);
   * throws when it fails.
   */
  async buildModel(model: Model, signal?: AbortSignal): Promise<{ rows: number; tests: number }> {
    const db = await this.buildDb().fork();
    const onAbort = () => db.interrupt();
    signal?.addEventListener('abort', onAbort);
    if (!this.transformStart) this.transformStart = performance.now();
    const onWorkers = this.opts.workers?.models === true;
    try {
      const result = onWorkers
        ? await buildModelOnWorker(await this.jobQueue(), db, model, {
            bronzeFiles: this.bronzeFiles,
            tableFile: (m) => this.sharedFile(m),
            idleMs: this.opts.workers!.idleMs,
            signal,
          })
        : await buildModel(db, model, this.zoneFile(model));
      tallyModel(this.summary, result);
      await recordTestResults(this.state, this.summary.runId, result.tests);
      if (result.status === 'failed') {
        throw new TerminalError('model_failed', `model "${model.name}" failed: ${result.error}`, {
          subject: model.name,
          hint: 'the warehouse keeps its last good state; fix the data or the model and run again',
        });
      }
      for (const table of this.readers.finished(model)) {
        if (!onWorkers) await db.run(`DROP TABLE IF EXISTS ${ident(table)}`);
        else {
          await db.run(`DROP VIEW IF EXISTS ${ident(table)}`);
          await rm(this.sharedFile(table), { force: true });
        }
      }
      const rows = this.summary.models.reduce((n, m) => n + m.rows, 0);
      this.opts.progress?.({
        stage: 'transform',
        done: ++this.modelsDone,
        total: this.models.length,
        unit: 'models',
        rows,
        elapsedMs: Math.round(performance.now() - this.transformStart),
        item: model.name,
      });
      return { rows: result.rows, tests: result.tests.length };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await db.close();
    }
  }

  /** Where a model bound for a lake zone writes its table: the zone's next folder. Others stay in memory. */
  private zoneFile(model: Model): string | undefined {
    const zone = lakeZoneOf(model);
    return zone && this.zoneNext ? resolve(this.zoneNext[zone], `${model.name}.parquet`) : undefined;
  }

  /** Where a model built on a worker writes its table: its zone file, or the home's build folder. */
  private sharedFile(name: string): string {
    return this.zoneFile(this.modelsByName.get(name)!) ?? resolve(this.layout.tmp, 'build', `${name}.parquet`);
  }

  private jobQueue(): Promise<JobQueue> {
    // A queue that could not be reached is asked again by the next task's retry.
    this.jobs ??= JobQueue.open(this.opts.workers!).catch((err: unknown) => {
      this.jobs = undefined;
      throw err;
    });
    return this.jobs;
  }

  /** After every model: the transform stage's figures and the quality report. */
  async finishTransform(): Promise<void> {
    this.addStage({
      stage: 'transform',
      ms: Math.round(performance.now() - this.transformStart),
      rows: this.summary.models.reduce((n, m) => n + m.rows, 0),
      peakRssMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
    });
    this.summary.quality = await computeQualityReport(this.buildDb(), this.state);
  }

  /**
   * The warehouse, then the silver and gold zones (written by the build beside the
   * published ones, swapped in whole); the published sequence moves last.
   */
  async publish(): Promise<void> {
    const t0 = Date.now();
    let done = 0;
    const publish = await timeStage(
      'publish',
      () =>
        publishBuild({
          db: this.buildDb(),
          layout: this.layout,
          models: this.models,
          runId: this.summary.runId,
          builtThroughSeq: this.builtThroughSeq,
          postgresWarehouse: this.opts.postgresWarehouse,
          s3Lake: this.s3Lake,
          tick: (item, total) =>
            this.opts.progress?.({
              stage: 'publish',
              done: ++done,
              total,
              unit: 'tables',
              elapsedMs: Date.now() - t0,
              item,
            }),
        }),
      (r) => r.tables.reduce((n, t) => n + t.rows, 0),
    );
    this.addStage(publish.stats);
    this.summary.published = publish.result.tables;
    await setKv(this.state, 'quality_report', JSON.stringify(this.summary.quality));
    await setKv(this.state, PUBLISHED_SEQ, String(this.builtThroughSeq));
  }

  /**
   * Gold for downstream consumers: `processed/date=<logical date>/<table>.parquet`, read
   * from the published warehouse and replaced whole; partitioned tables hold that day only.
   */
  async unload(logicalDate: string): Promise<Array<{ table: string; rows: number }>> {
    if (!(await pathExists(this.layout.warehouseDb))) return [];
    const tables = this.models.filter((m) => m.publish).map((m) => ({ name: m.name, partitionBy: m.partitionBy }));
    const dir = this.layout.processedPartition(logicalDate);
    await mkdir(dirname(dir), { recursive: true });
    const db = await (await this.openEngine()).fork();
    const unloaded = await unloadPartition(db, {
      warehouseDb: this.layout.warehouseDb,
      dir,
      logicalDate,
      tables,
    }).finally(() => db.close());
    await this.s3Lake?.publishProcessed(dir, logicalDate, this.summary.runId, {
      runId: this.summary.runId,
      logicalDate,
      tables: unloaded,
    });
    return unloaded;
  }

  /** New and changed objects of the s3:// landing zone into its local mirror, with progress. */
  private async mirrorLanding(from: S3Location): Promise<void> {
    const t0 = Date.now();
    await withS3Store(this.opts.s3 ?? {}, (s3) =>
      mirrorS3Prefix(s3, from, this.landingDir, (done, total, key) =>
        this.opts.progress?.({
          stage: 'ingest',
          done,
          total,
          unit: 'files',
          elapsedMs: Date.now() - t0,
          item: `s3://${from.bucket}/${key}`,
        }),
      ),
    );
  }

  async close(state: RunState): Promise<void> {
    await this.engine?.then(
      (db) => db.close(),
      () => undefined,
    );
    this.engine = undefined;
    await this.jobs?.then(
      (q) => q.close(),
      () => undefined,
    );
    this.build = undefined;
    if (state === 'failed') this.summary.status = 'failed';
    else this.summary.status = this.summary.published.length > 0 ? 'success' : 'nothing_new';
    await rm(this.layout.tmp, { recursive: true, force: true });
  }

  /**
   * An in-memory DuckDB spilling to <home>/tmp; with `buildProcess`, in a child process at a
   * lower CPU priority, where every statement of the build, the merge and the unload runs.
   */
  private openEngine(): Promise<SqlSession> {
    this.engine ??= (async () => {
      await rm(this.layout.tmp, { recursive: true, force: true });
      await mkdir(this.layout.tmp, { recursive: true });
      const engine = {
        memoryLimit: this.opts.memoryLimit ?? '1200MB',
        tempDirectory: this.layout.tmp,
        ...(this.opts.threads ? { threads: this.opts.threads } : {}),
      };
      return this.opts.buildProcess
        ? ChildDuckSession.open(engine, this.opts.buildProcess)
        : DuckSession.open(':memory:', engine);
    })();
    return this.engine;
  }

  private buildDb(): SqlSession {
    if (!this.build)
      throw new TerminalError('build_not_open', 'the build database is not open', {
        hint: 'the catalog task opens it; run the DAG from its start',
      });
    return this.build;
  }

  private async maxSeq(): Promise<number> {
    return highestSeq(this.state);
  }

  private async isPublished(): Promise<boolean> {
    return (await this.maxSeq()) === Number((await getKv(this.state, PUBLISHED_SEQ)) ?? -1);
  }

  private addStage(stats: StageStats): void {
    this.summary.stages = [...this.summary.stages.filter((s) => s.stage !== stats.stage), stats];
  }
}

/**
 * A full refresh forgets every landing file and what was built from them, so the lake is
 * rebuilt from the landing folder. Stream batches (ledger paths `stream/...`) have no
 * landing file to come back from: they and their bronze files stay.
 */
async function resetForFullRefresh(state: StateDb, layout: LakeLayout): Promise<void> {
  for (const f of await landingFileOutputs(state, layout)) await rm(f, { force: true });
  for (const dir of ['silver', 'gold', 'processed', join('quarantine', 'files')])
    await rm(join(layout.lake, dir), { recursive: true, force: true });
  await rm(layout.silverRejects, { force: true });
  await state.transaction(async () => {
    await forgetLandingFiles(state);
    await forgetSchemas(state);
    await deleteKv(state, PUBLISHED_SEQ);
  });
}
