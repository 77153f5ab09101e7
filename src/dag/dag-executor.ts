import { errorMessage, ShoplakeError, TransientError } from '../errors/index.ts';
import type { Dag, RunState, TaskOutcome, TaskSpec } from './dag-definition.ts';
import { canRetry, retryDelay } from './retry-policy.ts';
import type { DagRunRecord, RunStore, TaskInstanceRecord } from './run-store.ts';
import { RunRecordWriter } from './run-record-writer.ts';

export interface ExecuteOptions {
  store: RunStore;
  /** Every change of a task instance, as it is saved (for live views). */
  onTask?: (t: TaskInstanceRecord) => void;
  /** Source of jitter for retry delays; Math.random by default. */
  random?: () => number;
}

export interface RunResult {
  state: RunState;
  tasks: TaskInstanceRecord[];
  error?: DagRunRecord['error'];
  /** Datasets the run's tasks refreshed. */
  datasets: string[];
}

/**
 * Runs one DAG run to its end: tasks whose dependencies succeeded start, up to the DAG's
 * limit at once; a failed attempt is retried after its policy's delay when its error is
 * transient; a task failing for good marks everything downstream upstream_failed; a task
 * that reports nothing to do skips everything downstream. Every state change is saved,
 * in order, behind the tasks (a failed save stops the run); the run's end waits for them.
 */
export async function executeRun<R>(dag: Dag<R>, run: DagRunRecord, opts: ExecuteOptions): Promise<RunResult> {
  const { store } = opts;
  const random = opts.random ?? Math.random;
  const inst = new Map<string, TaskInstanceRecord>();
  const records = new RunRecordWriter(store);
  const save = (t: TaskInstanceRecord) => {
    inst.set(t.task, t);
    records.enqueue((s) => s.saveTask(t));
    opts.onTask?.(t);
  };
  for (const t of dag.order) save({ runId: run.runId, task: t.name, group: t.group, state: 'queued', attempt: 0 });
  const startedAt = new Date().toISOString();
  records.enqueue((s) => s.updateRun(run.runId, { state: 'running', startedAt }));

  let resources;
  try {
    resources = await dag.resources({ runId: run.runId, dag: dag.name, logicalDate: run.logicalDate, conf: run.conf });
  } catch (err) {
    const error = describe(err);
    for (const t of dag.order) save({ ...inst.get(t.name)!, state: 'upstream_failed' });
    await records.flush();
    await store.updateRun(run.runId, { state: 'failed', finishedAt: new Date().toISOString(), error });
    return { state: 'failed', tasks: [...inst.values()], error, datasets: [] };
  }

  const running = new Map<string, Promise<void>>();
  const retryAt = new Map<string, number>();
  const skipping = new Set<string>();
  const datasets = new Set<string>();
  const attemptOf = async (spec: TaskSpec<R>, attempt: number): Promise<void> => {
    const started = Date.now();
    save({
      ...inst.get(spec.name)!,
      state: 'running',
      attempt,
      startedAt: new Date(started).toISOString(),
      finishedAt: undefined,
      durationMs: undefined,
      error: undefined,
    });
    const log = logger(store, run.runId, spec.name, attempt);
    try {
      const outcome = await withTimeout(spec, dag.timeoutMs, (signal) =>
        spec.run({
          runId: run.runId,
          dag: dag.name,
          task: spec.name,
          attempt,
          logicalDate: run.logicalDate,
          conf: run.conf,
          resources: resources.value,
          signal,
          log: log.write,
        }),
      );
      if (outcome?.skipDownstream) skipping.add(spec.name);
      for (const d of outcome?.datasets ?? []) datasets.add(d);
      records.enqueue(() => log.flush());
      save({
        ...inst.get(spec.name)!,
        state: 'success',
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - started,
        ...(outcome?.output ? { output: outcome.output } : {}),
      });
    } catch (err) {
      const error = describe(err);
      const policy = spec.retry ?? dag.retry;
      const retry = error.kind !== 'terminal' && canRetry(policy, attempt);
      const delay = retry ? retryDelay(policy, attempt, random()) : 0;
      log.write(
        `attempt ${attempt} failed: [${error.code}] ${error.message}${retry ? `; retrying in ${delay} ms` : ''}`,
      );
      records.enqueue(() => log.flush());
      if (retry) retryAt.set(spec.name, Date.now() + delay);
      save({
        ...inst.get(spec.name)!,
        state: retry ? 'up_for_retry' : 'failed',
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - started,
        error,
      });
    }
  };

  let final: RunState = 'failed';
  try {
    for (;;) {
      for (const spec of dag.order) {
        const t = inst.get(spec.name)!;
        if (t.state !== 'queued') continue;
        const deps = spec.dependsOn.map((d) => inst.get(d)!);
        if (deps.some((d) => d.state === 'failed' || d.state === 'upstream_failed'))
          save({ ...t, state: 'upstream_failed' });
        else if (
          spec.trigger !== 'none_failed' &&
          deps.some((d) => d.state === 'skipped' || (d.state === 'success' && skipping.has(d.task)))
        )
          save({ ...t, state: 'skipped' });
      }
      const now = Date.now();
      const ready = dag.order.filter((spec) => {
        const t = inst.get(spec.name)!;
        if (running.has(spec.name)) return false;
        if (t.state === 'up_for_retry') return (retryAt.get(spec.name) ?? 0) <= now;
        const done = (d: string) =>
          inst.get(d)!.state === 'success' || (spec.trigger === 'none_failed' && inst.get(d)!.state === 'skipped');
        return t.state === 'queued' && spec.dependsOn.every(done);
      });
      for (const spec of ready) {
        if (running.size >= dag.maxActiveTasks) break;
        const attempt = inst.get(spec.name)!.attempt + 1;
        running.set(
          spec.name,
          attemptOf(spec, attempt).finally(() => running.delete(spec.name)),
        );
      }
      const waiting = [...retryAt].filter(([name]) => inst.get(name)!.state === 'up_for_retry' && !running.has(name));
      if (running.size === 0 && waiting.length === 0) break;
      const wake = waiting.length ? Math.max(0, Math.min(...waiting.map(([, at]) => at)) - Date.now()) : undefined;
      await Promise.race([...running.values(), ...(wake !== undefined ? [sleep(wake)] : [])]);
      records.check();
    }
    final = [...inst.values()].some((t) => t.state === 'failed' || t.state === 'upstream_failed')
      ? 'failed'
      : 'success';
  } finally {
    await Promise.allSettled(running.values());
    const failed = [...inst.values()].find((t) => t.state === 'failed');
    await resources
      .close(final, failed?.error ? { task: failed.task, ...failed.error } : undefined)
      .catch(() => undefined);
  }
  await records.flush();
  const failedTask = [...inst.values()].find((t) => t.state === 'failed');
  const error = failedTask?.error
    ? { code: failedTask.error.code, message: failedTask.error.message, subject: failedTask.task }
    : undefined;
  await store.updateRun(run.runId, { state: final, finishedAt: new Date().toISOString(), ...(error ? { error } : {}) });
  return {
    state: final,
    tasks: dag.order.map((t) => inst.get(t.name)!),
    ...(error ? { error } : {}),
    datasets: [...datasets],
  };
}

/** Runs an attempt against its timeout; on expiry the signal aborts and the attempt fails as transient. */
async function withTimeout<T>(
  spec: TaskSpec<unknown>,
  dagTimeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const ms = spec.timeoutMs ?? dagTimeoutMs;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new TransientError('task_timeout', `task "${spec.name}" did not finish within ${ms} ms`, {
        subject: spec.name,
        hint: 'raise the task timeout or find what makes it slow',
      });
      controller.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(err: unknown): NonNullable<TaskInstanceRecord['error']> {
  if (err instanceof ShoplakeError)
    return { code: err.code, kind: err.kind, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
  // Not ours (disk, memory, a dropped connection): worth another attempt.
  return { code: 'task_error', kind: 'transient', message: errorMessage(err) };
}

/** Log lines of one attempt, written in order without making the task wait on each. */
function logger(store: RunStore, runId: string, task: string, attempt: number) {
  let chain = Promise.resolve();
  return {
    write: (message: string) => {
      const at = new Date().toISOString();
      chain = chain.then(() => store.appendLog({ runId, task, attempt, at, message })).catch(() => undefined);
    },
    flush: () => chain,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export type { TaskOutcome };
