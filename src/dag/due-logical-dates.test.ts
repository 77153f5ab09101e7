import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueLogicalDates, parseSchedule } from './due-logical-dates.ts';

const at = (iso: string) => new Date(iso);

test('a daily schedule owes the interval that just closed, named after its start', () => {
  assert.deepEqual(dueLogicalDates('0 2 * * *', { now: at('2024-03-05T03:00:00Z'), catchup: false, maxRuns: 10 }), [
    '2024-03-04',
  ]);
  // Before 02:00 the interval of the 4th is still open.
  assert.deepEqual(dueLogicalDates('0 2 * * *', { now: at('2024-03-05T01:59:00Z'), catchup: false, maxRuns: 10 }), [
    '2024-03-03',
  ]);
});

test('catch-up runs every missed day after the last one, oldest first, and nothing already run', () => {
  const now = at('2024-03-05T03:00:00Z');
  assert.deepEqual(dueLogicalDates('0 2 * * *', { now, lastLogicalDate: '2024-03-01', catchup: true, maxRuns: 10 }), [
    '2024-03-02',
    '2024-03-03',
    '2024-03-04',
  ]);
  assert.deepEqual(dueLogicalDates('0 2 * * *', { now, lastLogicalDate: '2024-03-01', catchup: false, maxRuns: 10 }), [
    '2024-03-04',
  ]);
  assert.deepEqual(
    dueLogicalDates('0 2 * * *', { now, lastLogicalDate: '2024-03-04', catchup: true, maxRuns: 10 }),
    [],
  );
  assert.deepEqual(dueLogicalDates('0 2 * * *', { now, lastLogicalDate: '2024-02-01', catchup: true, maxRuns: 2 }), [
    '2024-03-03',
    '2024-03-04',
  ]);
  // A DAG that never ran has nothing to catch up from.
  assert.deepEqual(dueLogicalDates('0 2 * * *', { now, catchup: true, maxRuns: 10 }), ['2024-03-04']);
});

test('a schedule firing many times a day owes one run per day', () => {
  const due = dueLogicalDates('*/5 * * * *', {
    now: at('2024-03-05T00:07:00Z'),
    lastLogicalDate: '2024-03-02',
    catchup: true,
    maxRuns: 10,
  });
  assert.deepEqual(due, ['2024-03-03', '2024-03-04', '2024-03-05']);
});

test('a bad schedule is refused with a code and an example', () => {
  assert.throws(
    () => parseSchedule('every day at two'),
    (e: Error & { code?: string; hint?: string }) => e.code === 'bad_schedule' && /0 2/.test(e.hint ?? ''),
  );
});
