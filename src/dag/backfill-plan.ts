import { TerminalError } from '../errors/index.ts';
import type { DagRunRecord } from './run-store.ts';

/** Which days a backfill runs again: none that already ran, the failed ones too, or all. */
export type Reprocess = 'none' | 'failed' | 'all';

export type BackfillAction = 'queue' | 'rerun' | 'keep' | 'busy';

export interface BackfillItem {
  logicalDate: string;
  action: BackfillAction;
  /** The run that exists for that day, if one does. */
  existing?: { runId: string; state: DagRunRecord['state'] } | undefined;
  /** The run queued for the day (set once queued). */
  runId?: string;
}

/** The days from `from` to `to`, inclusive, as YYYY-MM-DD (UTC). */
export function daysBetween(from: string, to: string, maxDays = 3660): string[] {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (!day.test(from) || !day.test(to) || Number.isNaN(start) || Number.isNaN(end)) {
    throw new TerminalError('bad_date_range', `"${from}" to "${to}" is not a range of YYYY-MM-DD days`, {
      subject: 'from/to',
      hint: 'e.g. --from 2024-03-01 --to 2024-03-31',
    });
  }
  if (end < start)
    throw new TerminalError('bad_date_range', `--to ${to} is before --from ${from}`, {
      subject: 'from/to',
      hint: 'swap the two dates',
    });
  const n = (end - start) / 86_400_000 + 1;
  if (n > maxDays)
    throw new TerminalError('bad_date_range', `${n} days is more than a backfill may cover (${maxDays})`, {
      subject: 'from/to',
      hint: 'split it into shorter ranges',
    });
  return Array.from({ length: n }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

/**
 * What a backfill does with each day, given the scheduled or backfill run each day already
 * has: a day without one is queued; a day whose run is still going is left alone; a day
 * that ran is run again only as `reprocess` says. One item per day, never an exception
 * for one day's state.
 */
export function planBackfill(
  days: readonly string[],
  existing: ReadonlyMap<string, DagRunRecord>,
  reprocess: Reprocess,
): BackfillItem[] {
  return days.map((logicalDate) => {
    const run = existing.get(logicalDate);
    if (!run) return { logicalDate, action: 'queue' };
    const ref = { runId: run.runId, state: run.state };
    if (run.state === 'queued' || run.state === 'running') return { logicalDate, action: 'busy', existing: ref };
    const again = reprocess === 'all' || (reprocess === 'failed' && run.state === 'failed');
    return { logicalDate, action: again ? 'rerun' : 'keep', existing: ref };
  });
}
