import { mkdir, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { literal, type DuckSession } from '../duck/index.ts';
import { errorMessage, ShoplakeError, TerminalError } from '../errors/index.ts';
import { LakeLayout } from '../lake/index.ts';
import { openStateStore } from '../state/index.ts';
import { loadModels } from '../transform/index.ts';
import { dailyDag } from './daily-dag.ts';
import { executeRun } from './dag-executor.ts';
import { DuckdbRunStore } from './duckdb-run-store.ts';
import { acquireHomeLock } from './home-lock.ts';
import { PipelineRun } from './pipeline-run.ts';
import type { RunOptions } from './run-options.ts';
import type { RunType } from './run-store.ts';
import type { RunSummary } from './run-summary.ts';

export type { RunSummary } from './run-summary.ts';
export type { RunOptions } from './run-options.ts';

/**
 * One run of the daily DAG in this process: landing → bronze (new files only) → silver →
 * gold → data tests → lake zones, warehouse and processed unload. Silver and gold are
 * rebuilt from all of bronze, so the result after several incremental runs equals a full
 * rebuild. Nothing is published unless every blocking test passes, and a run killed
 * anywhere leaves the last good warehouse and resumes cleanly on the next run. The run
 * and its tasks are kept in the home's run history.
 */
export async function runPipeline(opts: RunOptions & { runType?: RunType }): Promise<RunSummary> {
  if (opts.logicalDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.logicalDate)) {
    throw new TerminalError('bad_logical_date', `logical date "${opts.logicalDate}" is not YYYY-MM-DD`, { subject: 'date', hint: 'give the day as e.g. 2024-03-01' });
  }
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
    if (opts.fullRefresh) await wipeDerivedData(layout);
    state = await openStateStore(layout.stateDb);
    await state.run('SET memory_limit = ' + literal(opts.memoryLimit ?? '1200MB'));
    const store = new DuckdbRunStore(state);
    // This process holds the home lock, so a run still marked as going belongs to a process that died.
    await store.failOrphanedRuns('the process running it exited before it finished');
    await state.run('INSERT INTO runs VALUES ($id, $at::TIMESTAMP, NULL, $status, $mode, NULL, NULL)', { id: runId, at: summary.startedAt, status: 'running', mode: summary.mode });

    const pipeline = new PipelineRun(summary, layout, state, opts, await loadModels());
    const dag = dailyDag(pipeline.models, { resources: async () => ({ value: pipeline, close: (s) => pipeline.close(s) }) });
    const logicalDate = opts.logicalDate ?? startedAt.toISOString().slice(0, 10);
    const run = { runId, dag: dag.name, logicalDate, runType: opts.runType ?? 'manual', state: 'queued', conf: { landing: opts.landing, fullRefresh: opts.fullRefresh ?? false }, queuedAt: summary.startedAt } as const;
    await store.createRun(run);
    const result = await executeRun(dag, run, { store });
    if (result.state === 'failed') {
      const failed = result.tasks.find((t) => t.state === 'failed');
      summary.status = 'failed';
      summary.error = failed?.error
        ? { code: failed.error.code, kind: failed.error.kind as 'terminal' | 'transient', message: failed.error.message, subject: failed.task, ...(failed.error.hint ? { hint: failed.error.hint } : {}) }
        : { code: 'internal', kind: 'internal', message: 'the run failed without a failed task' };
    } else {
      summary.status = result.tasks.find((t) => t.task === 'publish')?.state === 'success' ? 'success' : 'nothing_new';
    }
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
