export { runDataTests } from './run-data-tests.ts';
export type { TestResult } from './run-data-tests.ts';
export { compileTest } from './data-test-sql.ts';
