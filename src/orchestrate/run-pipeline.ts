import { mkdir, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { literal, type DuckSession } from '../duck/index.ts';
import { errorMessage, ShoplakeError } from '../errors/index.ts';
import { ingestLanding } from '../ingest/index.ts';
import { LakeLayout, recoverSwap } from '../lake/index.ts';
import { getKv, openStateStore, setKv } from '../state/index.ts';
import { buildAndPublish } from './build-and-publish.ts';
import { acquireHomeLock } from './home-lock.ts';
import type { ProgressSink } from './progress-event.ts';
import { tallyFiles, type RunSummary } from './run-summary.ts';
import { timeStage } from './stage-timer.ts';

export type { RunSummary } from './run-summary.ts';

export interface RunOptions {
  home: string;
  landing: string;
  fullRefresh?: boolean;
  memoryLimit?: string;
  threads?: number;
  progress?: ProgressSink;
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
    await buildAndPublish(summary, state, layout, opts);
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
