import { Cron } from 'croner';
import { TerminalError } from '../errors/index.ts';

export interface DueOptions {
  now: Date;
  /** The newest logical date already scheduled or backfilled; none when the DAG never ran on schedule. */
  lastLogicalDate?: string | undefined;
  /** Every missed interval since the last one (true), or only the latest (false). With no last one, only the latest. */
  catchup: boolean;
  /** Catch-up never creates more runs than this, keeping the newest. */
  maxRuns: number;
}

/**
 * The logical dates a cron schedule owes a run for at `now`, oldest first. As in Airflow,
 * a run fires at the end of its interval and is named after the interval's start: a
 * `0 2 * * *` schedule firing on 2024-03-02 at 02:00 UTC processes 2024-03-01. Logical
 * dates are days, so a schedule firing several times a day owes one run per day.
 */
export function dueLogicalDates(schedule: string, opts: DueOptions): string[] {
  const cron = parseSchedule(schedule);
  // Without history there is no start to catch up from: only the latest interval is owed.
  const want = opts.catchup && opts.lastLogicalDate !== undefined ? Math.max(1, opts.maxRuns) : 1;
  const days: string[] = [];
  // Fires newest first: each consecutive pair (f[i+1], f[i]) is one completed interval.
  let fires = cron.previousRuns(Math.min(want + 1, 400), opts.now);
  for (let guard = 0; guard < 50 && fires.length >= 2; guard++) {
    for (let i = 0; i + 1 < fires.length; i++) {
      const day = fires[i + 1]!.toISOString().slice(0, 10);
      if (opts.lastLogicalDate !== undefined && day <= opts.lastLogicalDate) return days.reverse();
      if (days.at(-1) !== day) days.push(day);
      if (days.length >= want) return days.reverse();
    }
    // A schedule firing many times a day needs more fires to cover `want` days.
    const older = cron.previousRuns(400, fires.at(-1)!);
    fires = [fires.at(-1)!, ...older];
  }
  return days.reverse();
}

/** A croner job on UTC, paused: its schedule is only read, never run by croner itself. */
export function parseSchedule(schedule: string): Cron {
  try {
    return new Cron(schedule, { timezone: 'UTC', paused: true });
  } catch (err) {
    throw new TerminalError(
      'bad_schedule',
      `schedule "${schedule}" is not a cron expression: ${(err as Error).message}`,
      {
        subject: schedule,
        hint: 'use five or six cron fields, e.g. "0 2 * * *" for 02:00 UTC every day',
      },
    );
  }
}
