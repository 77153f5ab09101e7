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

/** Counts each landing file's result into the summary. */
export function tallyFiles(summary: RunSummary, discovered: number, unchanged: number, results: FileResult[]): void {
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
