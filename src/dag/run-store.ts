import type { RunState, TaskState } from './dag-definition.ts';

export type RunType = 'manual' | 'scheduled' | 'backfill' | 'landing' | 'dataset' | 'replay' | 'stream';

export interface DagRunRecord {
  runId: string;
  dag: string;
  logicalDate: string;
  runType: RunType;
  state: RunState;
  conf: Record<string, unknown>;
  queuedAt: string;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
  error?: { code: string; message: string; subject?: string } | undefined;
}

export interface TaskInstanceRecord {
  runId: string;
  task: string;
  group?: string | undefined;
  state: TaskState;
  attempt: number;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
  durationMs?: number | undefined;
  error?: { code: string; kind: string; message: string; hint?: string } | undefined;
  output?: Record<string, unknown> | undefined;
}

export interface TaskLogLine {
  runId: string;
  task: string;
  attempt: number;
  at: string;
  message: string;
}

export interface RunFilter {
  dag?: string;
  state?: RunState;
  runType?: RunType;
  limit?: number;
  /** Newest first (the default, for history) or oldest first (for a queue). */
  order?: 'newest' | 'oldest';
}

/**
 * Run history: DAG runs, their task instances and per-attempt logs. One interface for
 * every backing store, so the executor and the API never know which one holds them.
 */
export interface RunStore {
  /**
   * Records a new run. A scheduled or backfill run is refused (false) when one of that DAG
   * and day exists, or, with `rerun` (a deliberate reprocess), when one is still queued or running.
   */
  createRun(run: DagRunRecord, opts?: { rerun?: boolean }): Promise<boolean>;
  updateRun(
    runId: string,
    patch: Partial<Pick<DagRunRecord, 'state' | 'startedAt' | 'finishedAt' | 'error'>>,
  ): Promise<void>;
  saveTask(task: TaskInstanceRecord): Promise<void>;
  appendLog(line: TaskLogLine): Promise<void>;
  getRun(runId: string): Promise<DagRunRecord | undefined>;
  listRuns(filter?: RunFilter): Promise<DagRunRecord[]>;
  /** The newest logical date of a DAG's runs of the given types. */
  lastLogicalDate(dag: string, types: readonly RunType[]): Promise<string | undefined>;
  /** The latest run of a DAG for a logical date, of any of the given types. */
  findRun(dag: string, logicalDate: string, types: readonly RunType[]): Promise<DagRunRecord | undefined>;
  tasks(runId: string): Promise<TaskInstanceRecord[]>;
  logs(runId: string, task?: string): Promise<TaskLogLine[]>;
  /**
   * Runs a dead process left running (and queued, unless `states` says otherwise): failed, with their unfinished tasks,
   * so none stays "running" forever. Returns their ids.
   */
  failOrphanedRuns(reason: string, states?: ReadonlyArray<'queued' | 'running'>): Promise<string[]>;
  /** Releases connections the store holds (a database pool); the DuckDB store's file is the home's. */
  close?(): Promise<void>;
}
