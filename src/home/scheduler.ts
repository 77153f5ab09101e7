import { Cron } from 'croner';
import { ShoplakeError } from '../errors/index.ts';
import type { Dag } from '../dag/index.ts';
import { dueLogicalDates } from '../dag/index.ts';
import type { Orchestrator } from './orchestrator.ts';
import type { DagRunRecord } from '../dag/index.ts';

export interface SchedulerOptions {
  /** Catch-up never queues more runs than this at once. */
  maxCatchupRuns: number;
  /** The clock (tests move it). */
  now?: () => Date;
  onError?: (dag: string, err: unknown) => void;
}

/**
 * Queues the runs each DAG's cron schedule owes: once at start (catching up what was
 * missed while nothing ran, as the DAG's `catchup` says) and then at every fire time. The
 * run history refuses a second scheduled or backfill run of a DAG for one logical date,
 * so a restart, two fires in a day or a backfill never make a duplicate.
 */
export class Scheduler {
  private readonly jobs: Array<{ dag: string; cron: Cron }> = [];

  constructor(
    private readonly orchestrator: Orchestrator,
    private readonly opts: SchedulerOptions,
  ) {}

  async start(): Promise<void> {
    for (const dag of this.orchestrator.dags.values()) {
      if (!dag.schedule) continue;
      await this.tick(dag);
      const cron = new Cron(dag.schedule, { timezone: 'UTC', protect: true }, async () => {
        await this.tick(dag).catch((err: unknown) => this.opts.onError?.(dag.name, err));
      });
      this.jobs.push({ dag: dag.name, cron });
    }
  }

  /** Queues every run the DAG's schedule owes now; returns them. */
  async tick(dag: Dag<unknown>): Promise<DagRunRecord[]> {
    if (!dag.schedule) return [];
    const last = await this.orchestrator.store.lastLogicalDate(dag.name, ['scheduled', 'backfill']);
    const due = dueLogicalDates(dag.schedule, {
      now: this.opts.now?.() ?? new Date(),
      lastLogicalDate: last,
      catchup: dag.catchup,
      maxRuns: this.opts.maxCatchupRuns,
    });
    const queued: DagRunRecord[] = [];
    for (const day of due) {
      try {
        queued.push(await this.orchestrator.trigger(dag.name, { logicalDate: day, runType: 'scheduled' }));
      } catch (err) {
        // Already there (a backfill took the day): exactly what the schedule wanted.
        if (!(err instanceof ShoplakeError && err.code === 'run_exists')) throw err;
      }
    }
    return queued;
  }

  /** When each scheduled DAG fires next. */
  nextRuns(): Array<{ dag: string; next: string | undefined }> {
    return this.jobs.map((j) => ({ dag: j.dag, next: j.cron.nextRun()?.toISOString() }));
  }

  stop(): void {
    for (const j of this.jobs) j.cron.stop();
    this.jobs.length = 0;
  }
}
