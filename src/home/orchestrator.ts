import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { literal, type DuckSession } from '../duck/index.ts';
import { TerminalError, TransientError } from '../errors/index.ts';
import { LakeLayout } from '../lake/index.ts';
import { claimStateOwnership, PostgresStateDb, type StateOwnerLock } from '../engines/postgres/index.ts';
import { openStateDb } from './open-state-db.ts';
import { openStateStore } from '../engines/duckdb/index.ts';
import { type StateDb } from '../state/index.ts';
import { loadModels, type Model } from '../transform/index.ts';
import { daysBetween, planBackfill, type BackfillItem, type Reprocess } from '../dag/index.ts';
import { dailyDag } from '../pipeline/index.ts';
import type { Dag } from '../dag/index.ts';
import { executeRun } from '../dag/index.ts';
import { datasetConsumers } from '../dag/index.ts';
import { SlaTimers } from '../dag/index.ts';
import { loadDagFiles } from '../dag/index.ts';
import { runStoreOf } from './run-store-of.ts';
import { acquireHomeLock, type HomeLock } from './home-lock.ts';
import { PipelineRun } from '../pipeline/index.ts';
import type { ProgressEvent } from '../common/index.ts';
import type { RunOptions } from '../pipeline/index.ts';
import type { DagRunRecord, RunStore, RunType, TaskInstanceRecord } from '../dag/index.ts';
import type { RunSummary } from '../pipeline/index.ts';
import { RunSummaries } from '../pipeline/index.ts';

export interface OrchestratorOptions extends Omit<RunOptions, 'fullRefresh' | 'logicalDate'> {
  /** What holds the home (shown to a process that finds it taken): `serve`, `run`, ... */
  purpose: string;
  /** Cron schedule of the daily DAG (UTC); none: it runs only when triggered. */
  dailySchedule?: string | undefined;
  catchup?: boolean;
  /** The daily run's SLA: not finished this long after being queued is an alert. */
  dailySlaMs?: number | undefined;
  /** More DAGs beside `daily` (e.g. ones a data-aware trigger starts). */
  extraDags?: (ctx: { layout: LakeLayout; models: readonly Model[] }) => Dag<unknown>[];
  /** Modules exporting user DAGs (config `dags`), loaded when the home is opened. */
  dagFiles?: readonly string[];
  /**
   * Where the state store lives: `duckdb` (the home's state.duckdb, the default) or
   * a postgres:// URL (run history, ledger, catalog, dead letters and the rest).
   */
  stateUrl?: string | undefined;
  /** A run history store the caller owns (tests); overrides `stateUrl`. */
  store?: RunStore;
}

export interface TriggerRequest {
  logicalDate?: string | undefined;
  runType?: RunType;
  conf?: Record<string, unknown>;
  /** A deliberate reprocess of a day that already has a scheduled or backfill run. */
  rerun?: boolean;
}

/** What the orchestrator tells listeners (alerts, metrics, the web app's live views). */
export interface OrchestratorEvents {
  run: [run: DagRunRecord, previous: DagRunRecord | undefined];
  task: [task: TaskInstanceRecord & { dag: string }];
  progress: [event: ProgressEvent & { runId: string }];
  sla_missed: [run: DagRunRecord, slaMs: number];
  /** Another process took the PostgreSQL state store while this one's connection to it was down. */
  ownership_lost: [err: TransientError];
}

/**
 * The owner of one shoplake home while a process runs: it holds the home lock and the
 * state store, knows the DAGs, queues runs in the run history (so a queued run survives a
 * restart) and executes them one at a time, oldest first. The CLI's `run` uses it for
 * one run; `serve` keeps it open with a scheduler and a landing watcher feeding it.
 */
export class Orchestrator extends EventEmitter<OrchestratorEvents> {
  readonly dags: ReadonlyMap<string, Dag<unknown>>;
  private readonly summaries = new Map<string, RunSummary>();
  private readonly waiters = new Map<
    string,
    Array<{ resolve: (r: DagRunRecord) => void; reject: (err: Error) => void }>
  >();
  /** Set when the state store's ownership went to another process: this one starts no run after. */
  private lost: TransientError | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;
  private current: string | undefined;
  private readonly sla = new SlaTimers();

  private constructor(
    readonly layout: LakeLayout,
    /** Ledger, catalog, run summaries, test results, dead letters: the state store `state.url` names. */
    readonly state: StateDb,
    /** The home's DuckDB state file: this process's DuckDB for ingest and stream work. */
    readonly work: DuckSession,
    readonly store: RunStore,
    readonly models: readonly Model[],
    private readonly lock: HomeLock,
    private readonly opts: OrchestratorOptions,
    fromFiles: readonly Dag<unknown>[] = [],
  ) {
    super();
    const progress = (e: ProgressEvent) => {
      opts.progress?.(e);
      if (this.current) this.emit('progress', { ...e, runId: this.current });
    };
    const daily = dailyDag(models, {
      ...(opts.dailySchedule ? { schedule: opts.dailySchedule } : {}),
      ...(opts.catchup !== undefined ? { catchup: opts.catchup } : {}),
      ...(opts.dailySlaMs ? { slaMs: opts.dailySlaMs } : {}),
      fetchApis: (opts.restSources?.length ?? 0) > 0,
      ...(opts.workers?.models ? { maxActiveTasks: opts.workers.modelTasksAtOnce ?? 4 } : {}),
      resources: (run) =>
        PipelineRun.open(run, {
          state,
          work,
          models,
          opts: { ...opts, progress },
          onClose: (s) => this.summaries.set(run.runId, s),
        }),
    });
    const all = [daily as Dag<unknown>, ...(opts.extraDags?.({ layout, models }) ?? []), ...fromFiles];
    const dags = new Map<string, Dag<unknown>>();
    for (const d of all) {
      if (dags.has(d.name))
        throw new TerminalError('dag_invalid', `two DAGs are named "${d.name}"`, {
          subject: d.name,
          hint: 'rename one of them',
        });
      dags.set(d.name, d);
    }
    this.dags = dags;
  }

  static async open(opts: OrchestratorOptions): Promise<Orchestrator> {
    const layout = new LakeLayout(opts.home);
    await mkdir(opts.home, { recursive: true });
    const homeLock = await acquireHomeLock(layout.lockFile, opts.purpose);
    let ownership: StateOwnerLock | undefined;
    let orchestrator: Orchestrator | undefined;
    const lock: HomeLock = {
      release: async () => {
        await ownership?.release();
        await homeLock.release();
      },
    };
    let work: DuckSession | undefined;
    let state: PostgresStateDb | DuckSession | undefined;
    try {
      work = await openStateStore(layout.stateDb);
      await work.run('SET memory_limit = ' + literal(opts.memoryLimit ?? '1200MB'));
      state = await openStateDb(opts.stateUrl ?? 'duckdb', work);
      if (state instanceof PostgresStateDb)
        ownership = await claimStateOwnership(state, {
          home: layout.home,
          purpose: opts.purpose,
          onLost: (err) => orchestrator?.loseOwnership(err),
        });
      const store = opts.store ?? runStoreOf(state);
      // This process holds the home lock (and owns a PostgreSQL state store), so a run still
      // marked running belongs to a process that died; runs still queued never started and
      // are simply run now.
      await store.failOrphanedRuns('the process running it exited before it finished', ['running']);
      await new RunSummaries(state).failAbandoned();
      const fromFiles = await loadDagFiles(opts.dagFiles ?? [], {
        home: opts.home,
        landing: opts.landing,
        warehouseDb: layout.warehouseDb,
        layout,
      });
      orchestrator = new Orchestrator(
        layout,
        state,
        work,
        store,
        await loadModels(opts.modelPaths),
        lock,
        opts,
        fromFiles,
      );
      return orchestrator;
    } catch (err) {
      if (state !== work) await state?.close();
      await work?.close();
      await lock.release();
      throw err;
    }
  }

  dag(name: string): Dag<unknown> {
    const dag = this.dags.get(name);
    if (!dag)
      throw new TerminalError('dag_not_found', `no DAG named "${name}"`, {
        subject: name,
        hint: `known DAGs: ${[...this.dags.keys()].join(', ')}`,
      });
    return dag;
  }

  /** Queues a run; it starts when the runs queued before it are done. */
  async trigger(dagName: string, req: TriggerRequest = {}): Promise<DagRunRecord> {
    if (this.lost) throw this.lost;
    const dag = this.dag(dagName);
    const logicalDate = req.logicalDate ?? new Date().toISOString().slice(0, 10);
    daysBetween(logicalDate, logicalDate);
    const run: DagRunRecord = {
      runId: newRunId(),
      dag: dag.name,
      logicalDate,
      runType: req.runType ?? 'manual',
      state: 'queued',
      conf: req.conf ?? {},
      queuedAt: new Date().toISOString(),
    };
    if (!(await this.store.createRun(run, { rerun: req.rerun === true }))) {
      const existing = await this.store.findRun(dag.name, logicalDate, ['scheduled', 'backfill']);
      throw new TerminalError(
        'run_exists',
        `DAG "${dag.name}" already has a ${existing?.runType ?? 'scheduled'} run ` +
          `for ${logicalDate} (${existing?.runId ?? '?'}, ${existing?.state ?? '?'})`,
        {
          subject: `${dag.name}@${logicalDate}`,
          hint: 'reprocess it with `shoplake backfill --reprocess all`, or wait until it finishes',
        },
      );
    }
    this.emit('run', run, undefined);
    this.watchSla(run);
    this.kick();
    return run;
  }

  /**
   * Queues a run unless one of the given types is already waiting for this DAG: a waiting
   * run will see everything that arrived before it starts, so a burst makes one run.
   */
  async triggerUnlessQueued(
    dagName: string,
    runType: RunType,
    coveredBy: readonly RunType[] = [runType],
  ): Promise<DagRunRecord | undefined> {
    const queued = await this.store.listRuns({ dag: dagName, state: 'queued', limit: 100 });
    if (queued.some((r) => coveredBy.includes(r.runType))) return undefined;
    return this.trigger(dagName, { runType });
  }

  /** Queues the days of a range a backfill owes a run, one result per day. */
  async backfill(dagName: string, range: { from: string; to: string; reprocess?: Reprocess }): Promise<BackfillItem[]> {
    const dag = this.dag(dagName);
    const days = daysBetween(range.from, range.to);
    const existing = new Map<string, DagRunRecord>();
    for (const d of days) {
      const r = await this.store.findRun(dag.name, d, ['scheduled', 'backfill']);
      if (r) existing.set(d, r);
    }
    const plan = planBackfill(days, existing, range.reprocess ?? 'none');
    for (const item of plan) {
      if (item.action !== 'queue' && item.action !== 'rerun') continue;
      const run = await this.trigger(dag.name, {
        logicalDate: item.logicalDate,
        runType: 'backfill',
        rerun: item.action === 'rerun',
        conf: { backfill: `${range.from}..${range.to}` },
      });
      item.runId = run.runId;
    }
    return plan;
  }

  /** Resolves when the run has ended (success, failed or skipped). */
  async waitFor(runId: string): Promise<DagRunRecord> {
    // Listen first, then look: a run ending between the two is still seen.
    const ended = new Promise<DagRunRecord>((resolve, reject) =>
      this.waiters.set(runId, [...(this.waiters.get(runId) ?? []), { resolve, reject }]),
    );
    ended.catch(() => undefined);
    const run = await this.store.getRun(runId);
    if (!run)
      throw new TerminalError('run_not_found', `no run "${runId}"`, {
        subject: runId,
        hint: 'list runs with `shoplake runs`',
      });
    if (run.state !== 'queued' && run.state !== 'running') return run;
    if (this.lost && runId !== this.current) throw this.lost;
    return ended;
  }

  /** The pipeline summary of a daily run this process executed. */
  summaryOf(runId: string): RunSummary | undefined {
    return this.summaries.get(runId);
  }

  /** Why this process runs nothing more, when another took the state store from it. */
  get ownershipLost(): TransientError | undefined {
    return this.lost;
  }

  get runningRunId(): string | undefined {
    return this.current;
  }

  /** Starts working through the queue unless it already is. */
  kick(): void {
    if (this.closed || this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  /** Resolves when no run is queued or running (runs a finished run triggered included). */
  async idle(): Promise<void> {
    for (;;) {
      this.kick();
      await this.draining;
      const [queued] = await this.store.listRuns({ state: 'queued', limit: 1 });
      if (!queued || this.closed || this.lost) return;
    }
  }

  /** Lets the run in progress finish, runs nothing more, and releases the home. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
    this.sla.clearAll();
    if (!this.opts.store) await this.store.close?.();
    if (this.state !== this.work) await this.state.close();
    await this.work.close();
    await this.lock.release();
  }

  /**
   * The run in progress finishes; queued runs stay queued for the process that owns the
   * state store now, and whoever waits for one is told why this process will not run it.
   */
  loseOwnership(err: TransientError): void {
    this.lost = err;
    for (const [runId, waiting] of this.waiters) {
      if (runId === this.current) continue;
      for (const w of waiting) w.reject(err);
      this.waiters.delete(runId);
    }
    this.emit('ownership_lost', err);
  }

  private async drain(): Promise<void> {
    while (!this.closed && !this.lost) {
      const [next] = await this.store.listRuns({ state: 'queued', order: 'oldest', limit: 1 });
      if (!next) return;
      await this.execute(next);
    }
  }

  private async execute(run: DagRunRecord): Promise<void> {
    const dag = this.dags.get(run.dag);
    this.current = run.runId;
    this.watchSla(run);
    try {
      if (!dag) {
        await this.store.updateRun(run.runId, {
          state: 'failed',
          finishedAt: new Date().toISOString(),
          error: { code: 'dag_not_found', message: `no DAG named "${run.dag}" in this version`, subject: run.dag },
        });
      } else {
        // The run that ended last before this one (for recovery alerts); queued ones do not count.
        const previous = (await this.store.listRuns({ dag: run.dag, limit: 200 }))
          .filter((r) => r.runId !== run.runId && r.finishedAt)
          .sort((a, b) => Date.parse(b.finishedAt!) - Date.parse(a.finishedAt!))[0];
        this.emit('run', { ...run, state: 'running', startedAt: new Date().toISOString() }, previous);
        const result = await executeRun(dag, run, {
          store: this.store,
          onTask: (t) => this.emit('task', { ...t, dag: run.dag }),
        });
        const done = (await this.store.getRun(run.runId))!;
        this.emit('run', done, previous);
        if (result.state === 'success' && result.datasets.length) await this.triggerConsumers(run, result.datasets);
      }
    } finally {
      this.sla.clear(run.runId);
      this.current = undefined;
      const done = await this.store.getRun(run.runId);
      for (const w of this.waiters.get(run.runId) ?? []) w.resolve(done ?? run);
      this.waiters.delete(run.runId);
    }
  }

  /** Data-aware triggers: every DAG consuming a refreshed dataset gets a run. */
  private async triggerConsumers(upstream: DagRunRecord, datasets: string[]): Promise<void> {
    for (const c of datasetConsumers(this.dags.values(), upstream.dag, datasets)) {
      await this.trigger(c.dag, {
        logicalDate: upstream.logicalDate,
        runType: 'dataset',
        conf: { upstreamRun: upstream.runId, datasets: c.datasets },
      });
    }
  }

  /** Arms the run's SLA once (at queueing, or when a run queued by an earlier process starts). */
  private watchSla(run: DagRunRecord): void {
    this.sla.arm(run, this.dags.get(run.dag)?.slaMs, (r, ms) => this.emit('sla_missed', r, ms));
  }
}

function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(3).toString('hex')}`;
}
