import type { FileResult } from '../ingest/index.ts';
import type { QualityReport } from '../quality/index.ts';
import type { ModelResult } from '../transform/index.ts';
import type { StageStats } from './stage-timer.ts';

/** What one run did, as the CLI prints it and the state store keeps it. */
export interface RunSummary {
  runId: string;
  mode: 'incremental' | 'full_refresh';
  status: 'success' | 'failed' | 'nothing_new';
  startedAt: string;
  finishedAt: string;
  ms: number;
  /**
   * `failed`: failed every attempt this run (now dead letters); `deadLettered`: dead letters left alone until replayed.
   */
  files: {
    discovered: number;
    unchanged: number;
    ingested: number;
    quarantined: number;
    duplicates: number;
    failed: number;
    deadLettered: number;
  };
  rows: { bronze: number; bronzeRejected: number };
  fileResults: Array<{
    path: string;
    status: string;
    entity?: string;
    reason?: string;
    detail?: string;
    rows?: number;
    rejected?: number;
  }>;
  models: Array<Pick<ModelResult, 'model' | 'status' | 'rows' | 'ms' | 'error'>>;
  tests: {
    passed: number;
    warnings: Array<{ model: string; test: string; failures: number }>;
    failures: Array<{ model: string; test: string; failures: number }>;
  };
  published: Array<{ table: string; rows: number }>;
  stages: StageStats[];
  quality?: QualityReport;
  error?: {
    code: string;
    kind: 'terminal' | 'transient' | 'internal';
    message: string;
    subject?: string;
    hint?: string;
  };
}

export function emptySummary(runId: string, mode: RunSummary['mode']): RunSummary {
  return {
    runId,
    mode,
    status: 'failed',
    startedAt: new Date().toISOString(),
    finishedAt: '',
    ms: 0,
    files: { discovered: 0, unchanged: 0, ingested: 0, quarantined: 0, duplicates: 0, failed: 0, deadLettered: 0 },
    rows: { bronze: 0, bronzeRejected: 0 },
    fileResults: [],
    models: [],
    tests: { passed: 0, warnings: [], failures: [] },
    published: [],
    stages: [],
  };
}

/** A model's result and its data tests into the summary (a model built again replaces its entry). */
export function tallyModel(summary: RunSummary, result: ModelResult): void {
  summary.models = [
    ...summary.models.filter((m) => m.model !== result.model),
    {
      model: result.model,
      status: result.status,
      rows: result.rows,
      ms: result.ms,
      ...(result.error ? { error: result.error } : {}),
    },
  ];
  for (const t of result.tests) {
    if (t.status === 'pass') summary.tests.passed++;
    else
      (t.severity === 'warn' ? summary.tests.warnings : summary.tests.failures).push({
        model: t.model,
        test: t.test,
        failures: t.failures,
      });
  }
}

/** Counts each landing file's result into the summary. */
export function tallyFiles(summary: RunSummary, discovered: number, unchanged: number, results: FileResult[]): void {
  summary.files.discovered = discovered;
  summary.files.unchanged = unchanged;
  for (const r of results) {
    if (r.status === 'ingested') {
      summary.files.ingested++;
      summary.rows.bronze += r.rowsOk;
      summary.rows.bronzeRejected += r.rowsRejected;
      summary.fileResults.push({
        path: r.file.rel,
        status: r.status,
        ...(r.entity ? { entity: r.entity } : {}),
        rows: r.rowsOk,
        rejected: r.rowsRejected,
      });
    } else if (r.status === 'quarantined') {
      summary.files.quarantined++;
      summary.fileResults.push({
        path: r.file.rel,
        status: r.status,
        ...(r.entity ? { entity: r.entity } : {}),
        ...(r.reason ? { reason: r.reason } : {}),
        ...(r.detail ? { detail: r.detail } : {}),
      });
    } else if (r.status === 'duplicate') {
      summary.files.duplicates++;
      summary.fileResults.push({ path: r.file.rel, status: r.status, detail: r.detail });
    } else if (r.status === 'failed') {
      summary.files.failed++;
      summary.fileResults.push({
        path: r.file.rel,
        status: r.status,
        reason: r.deadLetter,
        detail: `${r.error} (${r.attempts} attempts)`,
      });
    } else if (r.status === 'dead_lettered') {
      summary.files.deadLettered++;
      summary.fileResults.push({
        path: r.file.rel,
        status: r.status,
        reason: r.deadLetter,
        detail: 'in the dead-letter queue; `shoplake dlq replay` tries it again',
      });
    }
  }
}
