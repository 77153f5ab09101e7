import type { StateDb } from '../state/index.ts';
import { getKv } from '../state/index.ts';
import type { QualityReport } from './quality-report.ts';

export interface QualityView {
  report: QualityReport | null;
  failingTests: Array<Record<string, unknown>>;
}

/** The quality report of the last successful run and the data tests it did not pass. */
export async function qualityView(state: StateDb): Promise<QualityView> {
  const raw = await getKv(state, 'quality_report');
  const failingTests = await state.all(
    `SELECT model, test, severity, status, failures FROM test_results
     WHERE run_id = (SELECT run_id FROM runs WHERE status = 'success' ORDER BY started_at DESC LIMIT 1) AND status = 'fail'
     ORDER BY severity, model, test`,
  );
  return { report: raw ? (JSON.parse(raw) as QualityReport) : null, failingTests };
}
