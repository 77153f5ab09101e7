import type { DagRunRecord } from './run-store.ts';

/**
 * One timer per run with an SLA: it fires once if the run is not finished `slaMs` after it
 * was queued (also for a run an earlier process queued), and is cleared when the run ends.
 */
export class SlaTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  arm(run: DagRunRecord, slaMs: number | undefined, onMissed: (run: DagRunRecord, slaMs: number) => void): void {
    if (!slaMs || this.timers.has(run.runId)) return;
    const left = Date.parse(run.queuedAt) + slaMs - Date.now();
    const timer = setTimeout(() => onMissed(run, slaMs), Math.max(0, left));
    timer.unref();
    this.timers.set(run.runId, timer);
  }

  clear(runId: string): void {
    clearTimeout(this.timers.get(runId));
    this.timers.delete(runId);
  }

  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
