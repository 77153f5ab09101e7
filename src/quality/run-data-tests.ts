import type { SqlSession } from '../duck/index.ts';
import type { DataTestSpec } from './data-test-spec.ts';
import { compileTest } from './data-test-sql.ts';

export interface TestResult {
  model: string;
  test: string;
  severity: 'error' | 'warn';
  status: 'pass' | 'fail';
  failures: number;
}

/** The tests of one model (what its declaration names). */
export interface ModelTests {
  name: string;
  tests?: readonly DataTestSpec[];
}

/** Runs a model's data tests; one result per test, whatever the others do. */
export async function runDataTests(db: SqlSession, model: ModelTests): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const spec of model.tests ?? []) {
    const t = compileTest(model.name, spec);
    const failures = Number(await db.scalar(t.sql));
    results.push({
      model: model.name,
      test: t.name,
      severity: t.severity,
      status: failures === 0 ? 'pass' : 'fail',
      failures,
    });
  }
  return results;
}
