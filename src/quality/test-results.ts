import type { StateDb } from '../state/index.ts';
import type { TestResult } from './run-data-tests.ts';

/** Records one model's test results for a run, in one commit. */
export async function recordTestResults(state: StateDb, runId: string, results: readonly TestResult[]): Promise<void> {
  await state.transaction(async () => {
    for (const t of results) {
      await state.run('INSERT INTO test_results VALUES ($run, $model, $test, $severity, $status, $failures, NULL)', {
        run: runId,
        model: t.model,
        test: t.test,
        severity: t.severity,
        status: t.status,
        failures: t.failures,
      });
    }
  });
}

/** A run's test results, not passing first (or only those with `failingOnly`). */
export async function testResultsOf(
  state: StateDb,
  runId: string,
  opts: { failingOnly?: boolean } = {},
): Promise<Array<Omit<TestResult, 'failures'> & { failures: number }>> {
  return state.all(
    `SELECT model, test, severity, status, failures FROM test_results
     WHERE run_id = $run AND ($failing::BOOLEAN IS NOT TRUE OR status = 'fail')
     ORDER BY ${opts.failingOnly ? 'severity, model, test' : 'status, severity, model, test'}`,
    { run: runId, failing: opts.failingOnly ?? false },
  );
}

/** pass, warn (a warn-severity test failed) or fail (an error one did) per model of a run. */
export async function modelTestStatus(state: StateDb, runId: string): Promise<Map<string, 'pass' | 'warn' | 'fail'>> {
  const rows = await state.all<{ model: string; status: 'pass' | 'warn' | 'fail' }>(
    `SELECT model, CASE WHEN bool_or(status = 'fail' AND severity = 'error') THEN 'fail'
       WHEN bool_or(status = 'fail') THEN 'warn' ELSE 'pass' END AS status
     FROM test_results WHERE run_id = $run GROUP BY model`,
    { run: runId },
  );
  return new Map(rows.map((r) => [r.model, r.status]));
}
