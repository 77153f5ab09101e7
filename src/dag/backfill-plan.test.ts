import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daysBetween, planBackfill } from './backfill-plan.ts';
import type { DagRunRecord } from './run-store.ts';

const run = (day: string, state: DagRunRecord['state']): DagRunRecord => ({
  runId: `r-${day}`,
  dag: 'daily',
  logicalDate: day,
  runType: 'scheduled',
  state,
  conf: {},
  queuedAt: '',
});

test('a range of days is inclusive, crosses months and leap days, and refuses nonsense', () => {
  assert.deepEqual(daysBetween('2024-02-28', '2024-03-01'), ['2024-02-28', '2024-02-29', '2024-03-01']);
  assert.deepEqual(daysBetween('2024-03-01', '2024-03-01'), ['2024-03-01']);
  assert.throws(() => daysBetween('2024-03-02', '2024-03-01'), /before/);
  assert.throws(
    () => daysBetween('2024-3-1', '2024-03-01'),
    (e: Error & { code?: string }) => e.code === 'bad_date_range',
  );
  assert.throws(() => daysBetween('2000-01-01', '2024-01-01', 100), /more than/);
});

test('each day is queued, kept, rerun or left busy as the reprocess mode says', () => {
  const days = ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04'];
  const existing = new Map([
    ['2024-03-02', run('2024-03-02', 'success')],
    ['2024-03-03', run('2024-03-03', 'failed')],
    ['2024-03-04', run('2024-03-04', 'running')],
  ]);
  const actions = (mode: 'none' | 'failed' | 'all') => planBackfill(days, existing, mode).map((i) => i.action);
  assert.deepEqual(actions('none'), ['queue', 'keep', 'keep', 'busy']);
  assert.deepEqual(actions('failed'), ['queue', 'keep', 'rerun', 'busy']);
  assert.deepEqual(actions('all'), ['queue', 'rerun', 'rerun', 'busy']);
  assert.deepEqual(planBackfill(days, existing, 'failed')[2]?.existing, { runId: 'r-2024-03-03', state: 'failed' });
});
