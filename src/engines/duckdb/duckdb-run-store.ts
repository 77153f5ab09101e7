import type { DuckSession } from '../../duck/index.ts';
import type { DagRunRecord, RunFilter, RunStore, RunType, TaskInstanceRecord, TaskLogLine } from '../../dag/index.ts';

interface RunRow {
  run_id: string;
  dag: string;
  logical_date: string;
  run_type: RunType;
  state: DagRunRecord['state'];
  conf: string | null;
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
}
interface TaskRow {
  run_id: string;
  task: string;
  task_group: string | null;
  state: TaskInstanceRecord['state'];
  attempt: number;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  error: string | null;
  output: string | null;
}

const RUN_COLUMNS = `run_id, dag, strftime(logical_date, '%Y-%m-%d') AS logical_date, run_type, state,
  conf::VARCHAR AS conf, queued_at::VARCHAR AS queued_at, started_at::VARCHAR AS started_at,
  finished_at::VARCHAR AS finished_at, error::VARCHAR AS error`;

/** Run history in the home's state.duckdb (tables from the state migrations). */
export class DuckdbRunStore implements RunStore {
  constructor(private readonly db: DuckSession) {}

  async createRun(r: DagRunRecord, opts: { rerun?: boolean } = {}): Promise<boolean> {
    return this.db.transaction(async () => {
      if (r.runType === 'scheduled' || r.runType === 'backfill') {
        const clash = await this.findRun(r.dag, r.logicalDate, ['scheduled', 'backfill']);
        if (clash && (!opts.rerun || clash.state === 'queued' || clash.state === 'running')) return false;
      }
      await this.db.run(
        `INSERT INTO dag_runs
         VALUES ($id, $dag, $date::DATE, $type, $state, $conf::JSON,
         $queued::TIMESTAMP, $started::TIMESTAMP, $finished::TIMESTAMP, $error::JSON)`,
        {
          id: r.runId,
          dag: r.dag,
          date: r.logicalDate,
          type: r.runType,
          state: r.state,
          conf: JSON.stringify(r.conf),
          queued: r.queuedAt,
          started: r.startedAt ?? null,
          finished: r.finishedAt ?? null,
          error: r.error ? JSON.stringify(r.error) : null,
        },
      );
      return true;
    });
  }

  async updateRun(
    runId: string,
    patch: Partial<Pick<DagRunRecord, 'state' | 'startedAt' | 'finishedAt' | 'error'>>,
  ): Promise<void> {
    await this.db.run(
      `UPDATE dag_runs SET state = coalesce($state, state), started_at = coalesce($started::TIMESTAMP, started_at),
              finished_at = coalesce($finished::TIMESTAMP, finished_at), error = coalesce($error::JSON, error)
              WHERE run_id = $id`,
      {
        id: runId,
        state: patch.state ?? null,
        started: patch.startedAt ?? null,
        finished: patch.finishedAt ?? null,
        error: patch.error ? JSON.stringify(patch.error) : null,
      },
    );
  }

  async saveTask(t: TaskInstanceRecord): Promise<void> {
    await this.db.run(
      `INSERT OR REPLACE INTO task_instances
       VALUES ($run, $task, $group, $state, $attempt, $started::TIMESTAMP,
       $finished::TIMESTAMP, $duration, $error::JSON, $output::JSON)`,
      {
        run: t.runId,
        task: t.task,
        group: t.group ?? null,
        state: t.state,
        attempt: t.attempt,
        started: t.startedAt ?? null,
        finished: t.finishedAt ?? null,
        duration: t.durationMs ?? null,
        error: t.error ? JSON.stringify(t.error) : null,
        output: t.output ? JSON.stringify(t.output) : null,
      },
    );
  }

  async appendLog(l: TaskLogLine): Promise<void> {
    await this.db.run('INSERT INTO task_logs VALUES ($run, $task, $attempt, $at::TIMESTAMP, $message)', {
      run: l.runId,
      task: l.task,
      attempt: l.attempt,
      at: l.at,
      message: l.message,
    });
  }

  async getRun(runId: string): Promise<DagRunRecord | undefined> {
    const row = await this.db.one<RunRow>(`SELECT ${RUN_COLUMNS} FROM dag_runs WHERE run_id = $id`, { id: runId });
    return row && toRun(row);
  }

  async listRuns(filter: RunFilter = {}): Promise<DagRunRecord[]> {
    const rows = await this.db.all<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM dag_runs
       WHERE ($dag IS NULL OR dag = $dag) AND ($state IS NULL OR state = $state) AND ($type IS NULL OR run_type = $type)
       ORDER BY ${filter.order === 'oldest' ? 'queued_at, run_id' : 'queued_at DESC, run_id DESC'} LIMIT $limit`,
      { dag: filter.dag ?? null, state: filter.state ?? null, type: filter.runType ?? null, limit: filter.limit ?? 50 },
    );
    return rows.map(toRun);
  }

  async lastLogicalDate(dag: string, types: readonly RunType[]): Promise<string | undefined> {
    const day = await this.db.scalar<string | null>(
      `SELECT strftime(max(logical_date), '%Y-%m-%d') FROM dag_runs
       WHERE dag = $dag AND list_contains($types::VARCHAR[], run_type)`,
      { dag, types: JSON.stringify(types) },
    );
    return day ?? undefined;
  }

  async findRun(dag: string, logicalDate: string, types: readonly RunType[]): Promise<DagRunRecord | undefined> {
    const row = await this.db.one<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM dag_runs
       WHERE dag = $dag AND logical_date = $date::DATE AND list_contains($types::VARCHAR[], run_type)
       ORDER BY queued_at DESC LIMIT 1`,
      { dag, date: logicalDate, types: JSON.stringify(types) },
    );
    return row && toRun(row);
  }

  async tasks(runId: string): Promise<TaskInstanceRecord[]> {
    const rows = await this.db.all<TaskRow>(
      `SELECT run_id, task, task_group, state, attempt, started_at::VARCHAR AS started_at,
              finished_at::VARCHAR AS finished_at, duration_ms,
              error::VARCHAR AS error, output::VARCHAR AS output
       FROM task_instances WHERE run_id = $id ORDER BY started_at NULLS LAST, task`,
      { id: runId },
    );
    return rows.map((r) => ({
      runId: r.run_id,
      task: r.task,
      group: r.task_group ?? undefined,
      state: r.state,
      attempt: Number(r.attempt),
      startedAt: iso(r.started_at),
      finishedAt: iso(r.finished_at),
      durationMs: r.duration_ms === null ? undefined : Number(r.duration_ms),
      error: r.error ? JSON.parse(r.error) : undefined,
      output: r.output ? JSON.parse(r.output) : undefined,
    }));
  }

  async logs(runId: string, task?: string): Promise<TaskLogLine[]> {
    const rows = await this.db.all<{ run_id: string; task: string; attempt: number; at: string; message: string }>(
      `SELECT run_id, task, attempt, logged_at::VARCHAR AS at, message FROM task_logs
       WHERE run_id = $id AND ($task IS NULL OR task = $task) ORDER BY logged_at, rowid`,
      { id: runId, task: task ?? null },
    );
    return rows.map((r) => ({
      runId: r.run_id,
      task: r.task,
      attempt: Number(r.attempt),
      at: iso(r.at)!,
      message: r.message,
    }));
  }

  async failOrphanedRuns(
    reason: string,
    states: ReadonlyArray<'queued' | 'running'> = ['queued', 'running'],
  ): Promise<string[]> {
    return this.db.transaction(async () => {
      const ids = (
        await this.db.all<{ run_id: string }>(
          'SELECT run_id FROM dag_runs WHERE list_contains($states::VARCHAR[], state) ORDER BY run_id',
          { states: JSON.stringify(states) },
        )
      ).map((r) => r.run_id);
      if (ids.length === 0) return [];
      const error = JSON.stringify({ code: 'run_orphaned', kind: 'transient', message: reason });
      await this.db.run(
        `UPDATE task_instances SET state = 'failed', finished_at = coalesce(finished_at, now()::TIMESTAMP),
         error = coalesce(error, $error::JSON)
         WHERE run_id IN (SELECT unnest($ids::VARCHAR[])) AND state IN ('queued', 'running', 'up_for_retry')`,
        { ids: JSON.stringify(ids), error },
      );
      await this.db.run(
        `UPDATE dag_runs SET state = 'failed', finished_at = now()::TIMESTAMP, error = $error::JSON
         WHERE run_id IN (SELECT unnest($ids::VARCHAR[]))`,
        { ids: JSON.stringify(ids), error },
      );
      return ids;
    });
  }
}

function toRun(r: RunRow): DagRunRecord {
  return {
    runId: r.run_id,
    dag: r.dag,
    logicalDate: r.logical_date,
    runType: r.run_type,
    state: r.state,
    conf: r.conf ? JSON.parse(r.conf) : {},
    queuedAt: iso(r.queued_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    error: r.error ? JSON.parse(r.error) : undefined,
  };
}

/** DuckDB prints TIMESTAMP as `2026-01-02 03:04:05.678`; everything shoplake stores is UTC. */
function iso(ts: string | null): string | undefined {
  return ts === null
    ? undefined
    : `${ts.replace(' ', 'T')}${ts.includes('.') ? '' : '.000'}Z`.replace(/(\.\d{3})\d*Z$/, '$1Z');
}
