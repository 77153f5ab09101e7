import { mkdir, readFile, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { DuckSession } from '../duck/index.ts';
import { errorMessage, ShoplakeError, TerminalError } from '../errors/index.ts';
import { ingestLanding, type FileResult } from '../ingest/index.ts';
import { LakeLayout, exportZone, recoverSwap, writeAtomically } from '../lake/index.ts';
import { computeQualityReport, type QualityReport } from '../quality/index.ts';
import { getKv, openStateStore, setKv } from '../state/index.ts';
import { buildModels, createBronzeSources, loadModels, MACROS_SQL_URL, type ModelResult } from '../transform/index.ts';
import { DuckdbWarehouse } from '../warehouse/index.ts';
import { acquireHomeLock } from './home-lock.ts';
import type { ProgressSink } from './progress-event.ts';
import { timeStage, type StageStats } from './stage-timer.ts';
import { literal } from '../duck/index.ts';

export interface RunOptions {
  home: string;
  landing: string;
  fullRefresh?: boolean;
  memoryLimit?: string;
  threads?: number;
  progress?: ProgressSink;
}

export interface RunSummary {
  runId: string;
  mode: 'incremental' | 'full_refresh';
  status: 'success' | 'failed' | 'nothing_new';
  startedAt: string;
  finishedAt: string;
  ms: number;
  files: { discovered: number; unchanged: number; ingested: number; quarantined: number; duplicates: number; failed: number };
  rows: { bronze: number; bronzeRejected: number };
  fileResults: Array<{ path: string; status: string; entity?: string; reason?: string; detail?: string; rows?: number; rejected?: number }>;
  models: Array<Pick<ModelResult, 'model' | 'status' | 'rows' | 'ms' | 'error'>>;
  tests: { passed: number; warnings: Array<{ model: string; test: string; failures: number }>; failures: Array<{ model: string; test: string; failures: number }> };
  published: Array<{ table: string; rows: number }>;
  stages: StageStats[];
  quality?: QualityReport;
  error?: { code: string; kind: 'terminal' | 'transient' | 'internal'; message: string; subject?: string; hint?: string };
}

const PUBLISHED_SEQ = 'published_through_seq';

/**
 * One run of the pipeline: landing → bronze (new files only) → silver → gold → data
 * tests → lake zones and warehouse. Silver and gold are rebuilt from all of bronze, so
 * the result after several incremental runs equals a full rebuild. Nothing is published
 * unless every blocking test passes, and a run killed anywhere leaves the last good
 * warehouse and resumes cleanly on the next run.
 */
export async function runPipeline(opts: RunOptions): Promise<RunSummary> {
  const layout = new LakeLayout(opts.home);
  await mkdir(opts.home, { recursive: true });
  const lock = await acquireHomeLock(layout.lockFile, 'run');
  const startedAt = new Date();
  const runId = `run-${startedAt.toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
  const summary: RunSummary = {
    runId, mode: opts.fullRefresh ? 'full_refresh' : 'incremental', status: 'failed', startedAt: startedAt.toISOString(), finishedAt: '', ms: 0,
    files: { discovered: 0, unchanged: 0, ingested: 0, quarantined: 0, duplicates: 0, failed: 0 },
    rows: { bronze: 0, bronzeRejected: 0 }, fileResults: [], models: [], tests: { passed: 0, warnings: [], failures: [] }, published: [], stages: [],
  };
  let state: DuckSession | undefined;
  try {
    for (const zone of ['silver', 'gold'] as const) await recoverSwap(layout.zone(zone));
    if (opts.fullRefresh) await wipeDerivedData(layout);
    state = await openStateStore(layout.stateDb);
    await state.run("SET memory_limit = " + literal(opts.memoryLimit ?? '1200MB'));
    await state.run('INSERT INTO runs VALUES ($id, $at::TIMESTAMP, NULL, $status, $mode, NULL, NULL)', { id: runId, at: summary.startedAt, status: 'running', mode: summary.mode });

    const ingest = await timeStage('ingest', () => ingestLanding({ landing: opts.landing, db: state!, layout, batchId: runId, progress: opts.progress }), (r) => r.results.reduce((n, f) => n + ('rowsOk' in f ? f.rowsOk : 0), 0));
    summary.stages.push(ingest.stats);
    tallyFiles(summary, ingest.result.discovered, ingest.result.unchanged, ingest.result.results);

    const maxSeq = Number((await state.scalar('SELECT coalesce(max(seq), 0) FROM ingested_files')) ?? 0);
    const publishedSeq = Number((await getKv(state, PUBLISHED_SEQ)) ?? -1);
    if (maxSeq === publishedSeq && !opts.fullRefresh) {
      summary.status = 'nothing_new';
      return summary;
    }
    await build(summary, state, layout, opts);
    if (summary.status === 'success') await setKv(state, PUBLISHED_SEQ, String(maxSeq));
    return summary;
  } catch (err) {
    summary.status = 'failed';
    summary.error = err instanceof ShoplakeError
      ? { code: err.code, kind: err.kind, message: err.message, ...(err.subject ? { subject: err.subject } : {}), ...(err.hint ? { hint: err.hint } : {}) }
      : { code: 'internal', kind: 'internal' as const, message: errorMessage(err) };
    return summary;
  } finally {
    summary.finishedAt = new Date().toISOString();
    summary.ms = Date.parse(summary.finishedAt) - startedAt.getTime();
    if (state) {
      await state.run('UPDATE runs SET finished_at = $at::TIMESTAMP, status = $status, summary = $summary::JSON, error = $error::JSON WHERE run_id = $id', {
        at: summary.finishedAt, status: summary.status, summary: JSON.stringify({ ...summary, fileResults: undefined }), error: summary.error ? JSON.stringify(summary.error) : null, id: runId,
      }).catch(() => undefined);
      state.close();
    }
    await lock.release();
  }
}

async function build(summary: RunSummary, state: DuckSession, layout: LakeLayout, opts: RunOptions): Promise<void> {
  await rm(layout.tmp, { recursive: true, force: true });
  await mkdir(layout.tmp, { recursive: true });
  const db = await DuckSession.open(':memory:', { memoryLimit: opts.memoryLimit ?? '1200MB', tempDirectory: layout.tmp, ...(opts.threads ? { threads: opts.threads } : {}) });
  try {
    // Every order that matters in a model is spelled out (ORDER BY, window orders, keys by
    // row_number over an ordering), so DuckDB may write tables in any order: faster, less memory.
    await db.run('SET preserve_insertion_order = false');
    await db.run(await readFile(MACROS_SQL_URL, 'utf8'));
    const bronze = await state.all<{ entity: string; bronze_path: string }>("SELECT entity, bronze_path FROM ingested_files WHERE status = 'ingested' ORDER BY seq");
    const files: Record<string, string[]> = {};
    for (const r of bronze) (files[r.entity] ??= []).push(layout.resolve(r.bronze_path));
    await createBronzeSources(db, files);

    const models = await loadModels();
    const transform = await timeStage('transform', () => buildModels(db, models, opts.progress), (r) => r.reduce((n, m) => n + m.rows, 0));
    summary.stages.push(transform.stats);
    const results = transform.result;
    summary.models = results.map(({ model, status, rows, ms, error }) => ({ model, status, rows, ms, ...(error ? { error } : {}) }));
    for (const r of results) {
      for (const t of r.tests) {
        if (t.status === 'pass') summary.tests.passed++;
        else (t.severity === 'warn' ? summary.tests.warnings : summary.tests.failures).push({ model: t.model, test: t.test, failures: t.failures });
      }
      for (const t of r.tests) {
        await state.run('INSERT INTO test_results VALUES ($run, $model, $test, $severity, $status, $failures, NULL)', { run: summary.runId, model: t.model, test: t.test, severity: t.severity, status: t.status, failures: t.failures });
      }
    }
    const failed = results.find((r) => r.status === 'failed');
    if (failed) {
      throw new TerminalError('model_failed', `model "${failed.model}" failed: ${failed.error}`, {
        subject: failed.model,
        hint: 'the warehouse keeps its last good state; fix the data or the model and run again',
      });
    }
    summary.quality = await computeQualityReport(db, state);

    const silverTables = models.filter((m) => m.layer === 'silver' && m.name.startsWith('silver_') && m.name !== 'silver_rejects').map((m) => m.name);
    const goldTables = models.filter((m) => m.publish).map((m) => m.name);
    const publish = await timeStage('publish', async () => {
      const total = silverTables.length + 2 * goldTables.length;
      const t0 = Date.now();
      let done = 0;
      const tick = (item: string) => opts.progress?.({ stage: 'publish', done: ++done, total, unit: 'tables', elapsedMs: Date.now() - t0, item });
      await exportZone(db, layout.zone('silver'), silverTables, (t) => tick(`lake/silver/${t}`));
      await exportZone(db, layout.zone('gold'), goldTables, (t) => tick(`lake/gold/${t}`));
      await writeAtomically(layout.silverRejects, (tmp) => db.run(`COPY silver_rejects TO ${literal(tmp)} (FORMAT parquet)`));
      return new DuckdbWarehouse(layout.warehouseDb).publish({
        build: db, tables: goldTables, runId: summary.runId, publishedAt: new Date().toISOString(), onTable: (t) => tick(`warehouse/${t}`),
      });
    }, (r) => r.tables.reduce((n, t) => n + t.rows, 0));
    summary.stages.push(publish.stats);
    summary.published = publish.result.tables;
    await setKv(state, 'quality_report', JSON.stringify(summary.quality));
    summary.status = 'success';
  } finally {
    db.close();
    await rm(layout.tmp, { recursive: true, force: true });
  }
}

function tallyFiles(summary: RunSummary, discovered: number, unchanged: number, results: FileResult[]): void {
  summary.files.discovered = discovered;
  summary.files.unchanged = unchanged;
  for (const r of results) {
    if (r.status === 'ingested') {
      summary.files.ingested++;
      summary.rows.bronze += r.rowsOk;
      summary.rows.bronzeRejected += r.rowsRejected;
      summary.fileResults.push({ path: r.file.rel, status: r.status, ...(r.entity ? { entity: r.entity } : {}), rows: r.rowsOk, rejected: r.rowsRejected });
    } else if (r.status === 'quarantined') {
      summary.files.quarantined++;
      summary.fileResults.push({ path: r.file.rel, status: r.status, ...(r.entity ? { entity: r.entity } : {}), ...(r.reason ? { reason: r.reason } : {}), ...(r.detail ? { detail: r.detail } : {}) });
    } else if (r.status === 'duplicate') {
      summary.files.duplicates++;
      summary.fileResults.push({ path: r.file.rel, status: r.status, detail: r.detail });
    } else if ('error' in r) {
      summary.files.failed++;
      summary.fileResults.push({ path: r.file.rel, status: r.status, detail: r.error });
    }
  }
}

/** A full refresh forgets every ingested file and rebuilds the lake from the landing zone; run history stays. */
async function wipeDerivedData(layout: LakeLayout): Promise<void> {
  await rm(layout.lake, { recursive: true, force: true });
  const state = await openStateStore(layout.stateDb);
  try {
    await state.run("DELETE FROM ingested_files; DELETE FROM schema_versions; DELETE FROM drift_events; DELETE FROM kv WHERE key = 'published_through_seq'");
  } finally {
    state.close();
  }
}
