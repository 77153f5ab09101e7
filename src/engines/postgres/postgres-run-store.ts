import pg from 'pg';
import { PostgresStateDb } from './postgres-state-db.ts';
import type { DagRunRecord, RunFilter, RunStore, RunType, TaskInstanceRecord, TaskLogLine } from '../../dag/index.ts';

const RUN_COLUMNS =
  'run_id, dag, logical_date::text AS logical_date, run_type, state, conf, queued_at, started_at, finished_at, error';

interface RunRow {
  run_id: string;
  dag: string;
  logical_date: string;
  run_type: RunType;
  state: DagRunRecord['state'];
  conf: Record<string, unknown> | null;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  error: DagRunRecord['error'] | null;
}

/**
 * Run history in PostgreSQL (`state.url: postgres://…`), in the state store's schema
 * (`shoplake` by default). The same RunStore contract as the DuckDB store, so the
 * executor, scheduler and API never know which one they use; the one-run-per-DAG-and-day
 * rule holds across processes by an advisory lock per day.
 */
export class PostgresRunStore implements RunStore {
  private readonly pool: pg.Pool;

  /** `owned`: closing the run store closes the state store's connections too. */
  constructor(
    private readonly db: PostgresStateDb,
    private readonly owned = false,
  ) {
    this.pool = db.pool;
  }

  /** `url` may name the schema as `?schema=name` (default `shoplake`); `opts.schema` wins. */
  static async connect(url: string, opts: { schema?: string } = {}): Promise<PostgresRunStore> {
    return new PostgresRunStore(await PostgresStateDb.connect(url, opts), true);
  }

  async close(): Promise<void> {
    if (this.owned) await this.db.close();
  }

  async createRun(r: DagRunRecord, opts: { rerun?: boolean } = {}): Promise<boolean> {
    return this.db.withClient(async (c) => {
      if (r.runType === 'scheduled' || r.runType === 'backfill') {
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.db.schema}:${r.dag}:${r.logicalDate}`]);
        const clash = await c.query<{ state: string }>(
          `SELECT state FROM ${this.t('dag_runs')}
           WHERE dag = $1 AND logical_date = $2::date AND run_type IN ('scheduled', 'backfill')
           ORDER BY queued_at DESC LIMIT 1`,
          [r.dag, r.logicalDate],
        );
        const state = clash.rows[0]?.state;
        if (state !== undefined && (!opts.rerun || state === 'queued' || state === 'running')) return false;
      }
      await c.query(
        `INSERT INTO ${this.t('dag_runs')} VALUES ($1, $2, $3::date, $4, $5, $6::jsonb, $7, $8, $9, $10::jsonb)`,
        [
          r.runId,
          r.dag,
          r.logicalDate,
          r.runType,
          r.state,
          JSON.stringify(r.conf),
          r.queuedAt,
          r.startedAt ?? null,
          r.finishedAt ?? null,
          r.error ? JSON.stringify(r.error) : null,
        ],
      );
      return true;
    });
  }

  async updateRun(
    runId: string,
    patch: Partial<Pick<DagRunRecord, 'state' | 'startedAt' | 'finishedAt' | 'error'>>,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.t('dag_runs')} SET state = coalesce($2, state), started_at = coalesce($3::timestamptz, started_at),
              finished_at = coalesce($4::timestamptz, finished_at), error = coalesce($5::jsonb, error)
              WHERE run_id = $1`,
      [
        runId,
        patch.state ?? null,
        patch.startedAt ?? null,
        patch.finishedAt ?? null,
        patch.error ? JSON.stringify(patch.error) : null,
      ],
    );
  }

  async saveTask(t: TaskInstanceRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.t('task_instances')} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb)
       ON CONFLICT (run_id, task) DO UPDATE SET task_group = EXCLUDED.task_group, state = EXCLUDED.state,
         attempt = EXCLUDED.attempt, started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,
         duration_ms = EXCLUDED.duration_ms, error = EXCLUDED.error, output = EXCLUDED.output`,
      [
        t.runId,
        t.task,
        t.group ?? null,
        t.state,
        t.attempt,
        t.startedAt ?? null,
        t.finishedAt ?? null,
        t.durationMs ?? null,
        t.error ? JSON.stringify(t.error) : null,
        t.output ? JSON.stringify(t.output) : null,
      ],
    );
  }

  async appendLog(l: TaskLogLine): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.t('task_logs')} (run_id, task, attempt, logged_at, message) VALUES ($1, $2, $3, $4, $5)`,
      [l.runId, l.task, l.attempt, l.at, l.message],
    );
  }

  async getRun(runId: string): Promise<DagRunRecord | undefined> {
    const res = await this.pool.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM ${this.t('dag_runs')} WHERE run_id = $1`, [
      runId,
    ]);
    return res.rows[0] && toRun(res.rows[0]);
  }

  async listRuns(filter: RunFilter = {}): Promise<DagRunRecord[]> {
    const res = await this.pool.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM ${this.t('dag_runs')}
       WHERE ($1::text IS NULL OR dag = $1) AND ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR run_type = $3)
       ORDER BY ${filter.order === 'oldest' ? 'queued_at, run_id' : 'queued_at DESC, run_id DESC'} LIMIT $4`,
      [filter.dag ?? null, filter.state ?? null, filter.runType ?? null, filter.limit ?? 50],
    );
    return res.rows.map(toRun);
  }

  async lastLogicalDate(dag: string, types: readonly RunType[]): Promise<string | undefined> {
    const res = await this.pool.query<{ d: string | null }>(
      `SELECT max(logical_date)::text AS d FROM ${this.t('dag_runs')} WHERE dag = $1 AND run_type = ANY($2::text[])`,
      [dag, [...types]],
    );
    return res.rows[0]?.d ?? undefined;
  }

  async findRun(dag: string, logicalDate: string, types: readonly RunType[]): Promise<DagRunRecord | undefined> {
    const res = await this.pool.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM ${this.t('dag_runs')}
       WHERE dag = $1 AND logical_date = $2::date AND run_type = ANY($3::text[]) ORDER BY queued_at DESC LIMIT 1`,
      [dag, logicalDate, [...types]],
    );
    return res.rows[0] && toRun(res.rows[0]);
  }

  async tasks(runId: string): Promise<TaskInstanceRecord[]> {
    const res = await this.pool.query<{
      run_id: string;
      task: string;
      task_group: string | null;
      state: TaskInstanceRecord['state'];
      attempt: number;
      started_at: Date | null;
      finished_at: Date | null;
      duration_ms: string | null;
      error: TaskInstanceRecord['error'] | null;
      output: Record<string, unknown> | null;
    }>(`SELECT * FROM ${this.t('task_instances')} WHERE run_id = $1 ORDER BY started_at NULLS LAST, task`, [runId]);
    return res.rows.map((r) => ({
      runId: r.run_id,
      task: r.task,
      group: r.task_group ?? undefined,
      state: r.state,
      attempt: r.attempt,
      startedAt: r.started_at?.toISOString(),
      finishedAt: r.finished_at?.toISOString(),
      durationMs: r.duration_ms === null ? undefined : Number(r.duration_ms),
      error: r.error ?? undefined,
      output: r.output ?? undefined,
    }));
  }

  async logs(runId: string, task?: string): Promise<TaskLogLine[]> {
    const res = await this.pool.query<{
      run_id: string;
      task: string;
      attempt: number;
      logged_at: Date;
      message: string;
    }>(
      `SELECT run_id, task, attempt, logged_at, message FROM ${this.t('task_logs')}
       WHERE run_id = $1 AND ($2::text IS NULL OR task = $2) ORDER BY logged_at, seq`,
      [runId, task ?? null],
    );
    return res.rows.map((r) => ({
      runId: r.run_id,
      task: r.task,
      attempt: r.attempt,
      at: r.logged_at.toISOString(),
      message: r.message,
    }));
  }

  async failOrphanedRuns(
    reason: string,
    states: ReadonlyArray<'queued' | 'running'> = ['queued', 'running'],
  ): Promise<string[]> {
    return this.db.withClient(async (c) => {
      const ids = (
        await c.query<{ run_id: string }>(
          `SELECT run_id FROM ${this.t('dag_runs')} WHERE state = ANY($1::text[]) ORDER BY run_id FOR UPDATE`,
          [[...states]],
        )
      ).rows.map((r) => r.run_id);
      if (ids.length === 0) return [];
      const error = JSON.stringify({ code: 'run_orphaned', kind: 'transient', message: reason });
      await c.query(
        `UPDATE ${this.t('task_instances')}
         SET state = 'failed', finished_at = coalesce(finished_at, now()), error = coalesce(error, $2::jsonb)
         WHERE run_id = ANY($1::text[]) AND state IN ('queued', 'running', 'up_for_retry')`,
        [ids, error],
      );
      await c.query(
        `UPDATE ${this.t('dag_runs')} SET state = 'failed', finished_at = now(), error = $2::jsonb
         WHERE run_id = ANY($1::text[])`,
        [ids, error],
      );
      return ids;
    });
  }

  private t(table: string): string {
    return this.db.table(table);
  }
}

function toRun(r: RunRow): DagRunRecord {
  return {
    runId: r.run_id,
    dag: r.dag,
    logicalDate: r.logical_date,
    runType: r.run_type,
    state: r.state,
    conf: r.conf ?? {},
    queuedAt: r.queued_at.toISOString(),
    startedAt: r.started_at?.toISOString(),
    finishedAt: r.finished_at?.toISOString(),
    error: r.error ?? undefined,
  };
}
