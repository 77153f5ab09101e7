import { TerminalError } from '../errors/index.ts';
import { topologicalOrder } from '../common/index.ts';
import { NO_RETRY, type RetryPolicy } from './retry-policy.ts';

export type TaskState = 'queued' | 'running' | 'success' | 'failed' | 'up_for_retry' | 'skipped' | 'upstream_failed';
export type RunState = 'queued' | 'running' | 'success' | 'failed' | 'skipped';

/** What a task attempt is given: its run, its shared resources, a log and a cancel signal. */
export interface TaskContext<R> {
  runId: string;
  dag: string;
  task: string;
  attempt: number;
  /** The day (YYYY-MM-DD) the run processes: its schedule interval, or the day it was triggered. */
  logicalDate: string;
  conf: Readonly<Record<string, unknown>>;
  resources: R;
  /** Aborted when the attempt times out; long work should stop on it. */
  signal: AbortSignal;
  log(message: string): void;
}

export interface TaskOutcome {
  /** Nothing to do downstream (e.g. no new files): the tasks after this one are skipped. */
  skipDownstream?: boolean;
  /** A small JSON summary kept with the task instance. */
  output?: Record<string, unknown>;
  /** Datasets (e.g. `gold.fact_orders`) this attempt refreshed: DAGs that consume them are triggered. */
  datasets?: string[];
}

export interface TaskSpec<R> {
  name: string;
  dependsOn: readonly string[];
  /** A label the task is shown under (e.g. `silver`, `gold`). */
  group?: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /**
   * When the task runs, as Airflow's trigger rules: `all_success` (the default) needs every
   * dependency to succeed and is skipped with them; `none_failed` also runs after skipped
   * dependencies (e.g. an unload that must happen whether or not there was new data).
   */
  trigger?: 'all_success' | 'none_failed';
  run(ctx: TaskContext<R>): Promise<TaskOutcome | void>;
}

/** What the tasks of one run share, opened when the run starts and closed when it ends. */
export interface RunResources<R> {
  value: R;
  /** Called once when the run ends, with the error of the task that failed it, if one did. */
  close(state: RunState, failure?: TaskFailure): Promise<void>;
}

export interface TaskFailure {
  task: string;
  code: string;
  kind: string;
  message: string;
  hint?: string | undefined;
}

export interface RunInfo {
  runId: string;
  dag: string;
  logicalDate: string;
  conf: Readonly<Record<string, unknown>>;
}

export interface DagSpec<R> {
  name: string;
  description: string;
  /** Cron expression (croner syntax, UTC); none means the DAG only runs when triggered. */
  schedule?: string;
  /** On start, run the intervals missed while nothing was running (true) or only the latest (false). */
  catchup?: boolean;
  /**
   * Datasets whose refresh starts a run of this DAG (data-aware trigger),
   * e.g. `gold.mart_daily_revenue`; `gold.*` for any gold table.
   */
  consumes?: readonly string[];
  /** A run not finished this long after it was queued has missed its SLA (an alert is sent). */
  slaMs?: number;
  /** Tasks of one run that may run at once. */
  maxActiveTasks?: number;
  /** The retry policy of every task that does not set its own. */
  retry?: RetryPolicy;
  /** The timeout of every task that does not set its own. */
  timeoutMs?: number;
  tasks: readonly TaskSpec<R>[];
  resources?(run: RunInfo): Promise<RunResources<R>>;
}

export interface Dag<R = unknown> extends Required<Omit<DagSpec<R>, 'schedule' | 'resources' | 'slaMs'>> {
  schedule: string | undefined;
  slaMs: number | undefined;
  resources: (run: RunInfo) => Promise<RunResources<R>>;
  /** Tasks in an order where every task follows its dependencies. */
  order: readonly TaskSpec<R>[];
}

/**
 * Checks a DAG declaration once, when it is loaded: unique task names, known dependencies,
 * no cycles (each named with its path), sane limits. Defaults fill the rest.
 */
export function defineDag<R>(spec: DagSpec<R>): Dag<R> {
  if (!/^[a-z][a-z0-9_-]*$/.test(spec.name)) {
    throw new TerminalError('dag_invalid', `DAG name "${spec.name}" must be lower-case letters, digits, _ or -`, {
      subject: spec.name,
    });
  }
  let order: TaskSpec<R>[];
  try {
    order = topologicalOrder(spec.tasks);
  } catch (err) {
    if (!(err instanceof TerminalError)) throw err;
    throw new TerminalError(err.code, `DAG "${spec.name}": ${err.message}`, {
      subject: `${spec.name}.${err.subject ?? ''}`,
      ...(err.hint ? { hint: err.hint } : {}),
    });
  }
  const maxActiveTasks = spec.maxActiveTasks ?? 2;
  if (!Number.isInteger(maxActiveTasks) || maxActiveTasks < 1) {
    throw new TerminalError('dag_invalid', `DAG "${spec.name}": maxActiveTasks must be a whole number >= 1`, {
      subject: spec.name,
    });
  }
  return {
    name: spec.name,
    description: spec.description,
    schedule: spec.schedule,
    catchup: spec.catchup ?? false,
    consumes: spec.consumes ?? [],
    slaMs: spec.slaMs,
    maxActiveTasks,
    retry: spec.retry ?? NO_RETRY,
    timeoutMs: spec.timeoutMs ?? 60 * 60 * 1000,
    tasks: spec.tasks,
    resources: spec.resources ?? (async () => ({ value: undefined as R, close: async () => undefined })),
    order,
  };
}
