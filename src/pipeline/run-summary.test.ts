import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptySummary, tallyModel } from './run-summary.ts';

test('tallyModel counts passes, warnings and failures; a model built again replaces its entry', () => {
  const s = emptySummary('run-1', 'incremental');
  const tests = [
    {
      model: 'fact_orders',
      test: 'unique(order_id, line_number)',
      severity: 'error' as const,
      status: 'pass' as const,
      failures: 0,
    },
    {
      model: 'fact_orders',
      test: 'relationship(product_key)',
      severity: 'warn' as const,
      status: 'fail' as const,
      failures: 3,
    },
  ];
  tallyModel(s, { model: 'fact_orders', status: 'failed', rows: 0, ms: 5, tests: [], error: 'boom' });
  tallyModel(s, { model: 'fact_orders', status: 'success', rows: 10, ms: 7, tests });
  tallyModel(s, {
    model: 'dim_date',
    status: 'failed',
    rows: 4,
    ms: 1,
    tests: [{ model: 'dim_date', test: 'not_null(date)', severity: 'error', status: 'fail', failures: 1 }],
    error: 'a blocking test failed',
  });
  assert.deepEqual(s.models, [
    { model: 'fact_orders', status: 'success', rows: 10, ms: 7 },
    { model: 'dim_date', status: 'failed', rows: 4, ms: 1, error: 'a blocking test failed' },
  ]);
  assert.deepEqual(s.tests, {
    passed: 1,
    warnings: [{ model: 'fact_orders', test: 'relationship(product_key)', failures: 3 }],
    failures: [{ model: 'dim_date', test: 'not_null(date)', failures: 1 }],
  });
});
