import type { StateDb } from '../state/index.ts';
import { getKv } from '../state/index.ts';
import type { QualityReport } from './quality-report.ts';
import { testResultsOf } from './test-results.ts';

export interface QualityView {
  report: QualityReport | null;
  failingTests: Array<Record<string, unknown>>;
}

/** The quality report of the last successful run (`lastSuccessfulRunId`) and the data tests it did not pass. */
export async function qualityView(state: StateDb, lastSuccessfulRunId: string | undefined): Promise<QualityView> {
  const raw = await getKv(state, 'quality_report');
  const failingTests = lastSuccessfulRunId
    ? await testResultsOf(state, lastSuccessfulRunId, { failingOnly: true })
    : [];
  return { report: raw ? (JSON.parse(raw) as QualityReport) : null, failingTests };
}
