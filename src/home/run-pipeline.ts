import { errorMessage, ShoplakeError, TerminalError } from '../errors/index.ts';
import { Orchestrator } from './orchestrator.ts';
import type { RunOptions } from '../pipeline/index.ts';
import type { RunType } from '../dag/index.ts';
import { emptySummary, type RunSummary } from '../pipeline/index.ts';

/**
 * One run of the daily DAG in this process: landing → bronze (new files only) → silver →
 * gold → data tests → lake zones, warehouse and processed unload. Silver and gold are
 * rebuilt from all of bronze, so the result after several incremental runs equals a full
 * rebuild. Nothing is published unless every blocking test passes, and a run killed
 * anywhere leaves the last good warehouse and resumes cleanly on the next run. The run
 * and its tasks are kept in the home's run history.
 */
export async function runPipeline(
  opts: RunOptions & { runType?: RunType; stateUrl?: string; dagFiles?: readonly string[] },
): Promise<RunSummary> {
  if (opts.logicalDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.logicalDate)) {
    throw new TerminalError('bad_logical_date', `logical date "${opts.logicalDate}" is not YYYY-MM-DD`, {
      subject: 'date',
      hint: 'give the day as e.g. 2024-03-01',
    });
  }
  const orchestrator = await Orchestrator.open({ ...opts, purpose: 'run' });
  try {
    const run = await orchestrator.trigger('daily', {
      logicalDate: opts.logicalDate,
      runType: opts.runType ?? 'manual',
      conf: { landing: opts.landing, fullRefresh: opts.fullRefresh ?? false },
    });
    const done = await orchestrator.waitFor(run.runId);
    // Runs this one started (DAGs consuming the gold it refreshed) finish before the home is let go.
    await orchestrator.idle();
    const summary = orchestrator.summaryOf(run.runId);
    if (summary) return summary;
    // The run failed before its pipeline opened (the state store, the build database).
    const failed = emptySummary(run.runId, opts.fullRefresh ? 'full_refresh' : 'incremental');
    failed.error = done.error
      ? {
          code: done.error.code,
          kind: 'internal',
          message: done.error.message,
          ...(done.error.subject ? { subject: done.error.subject } : {}),
        }
      : { code: 'internal', kind: 'internal', message: 'the run ended without a summary' };
    return failed;
  } catch (err) {
    const failed = emptySummary('none', opts.fullRefresh ? 'full_refresh' : 'incremental');
    failed.error =
      err instanceof ShoplakeError
        ? {
            code: err.code,
            kind: err.kind,
            message: err.message,
            ...(err.subject ? { subject: err.subject } : {}),
            ...(err.hint ? { hint: err.hint } : {}),
          }
        : { code: 'internal', kind: 'internal', message: errorMessage(err) };
    return failed;
  } finally {
    await orchestrator.close();
  }
}
