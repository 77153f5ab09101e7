export type { DataTestSpec, Severity } from './data-test-spec.ts';
export { runDataTests } from './run-data-tests.ts';
export type { ModelTests, TestResult } from './run-data-tests.ts';
export { compileTest } from './data-test-sql.ts';
export { computeQualityReport } from './quality-report.ts';
export type { QualityReport } from './quality-report.ts';
export { qualityView } from './quality-view.ts';
export type { QualityView } from './quality-view.ts';
export { recordTestResults, testResultsOf, modelTestStatus } from './test-results.ts';
