import { qualityView, type QualityView } from '../quality/index.ts';
import type { StateDb } from '../state/index.ts';
import type { RunSummary } from './run-summary.ts';

/** A row of the run history's summaries, as the state store keeps it. */
export interface RunSummaryRow {
  run_id: string;
  status: string;
  mode: string;
  started_at: string;
  finished_at: string | null;
  summary: string | null;
  error: string | null;
}

/** The `runs` table: one summary per pipeline run. Every read and write of it goes through here. */
export class RunSummaries {
  constructor(private readonly state: StateDb) {}

  async started(summary: RunSummary): Promise<void> {
    await this.state.run('INSERT INTO runs VALUES ($id, $at::TIMESTAMP, NULL, $status, $mode, NULL, NULL)', {
      id: summary.runId,
      at: summary.startedAt,
      status: 'running',
      mode: summary.mode,
    });
  }

  async finished(summary: RunSummary): Promise<void> {
    await this.state.run(
      `UPDATE runs SET finished_at = $at::TIMESTAMP, status = $status, summary = $summary::JSON, error = $error::JSON
       WHERE run_id = $id`,
      {
        at: summary.finishedAt,
        status: summary.status,
        summary: JSON.stringify({ ...summary, fileResults: undefined }),
        error: summary.error ? JSON.stringify(summary.error) : null,
        id: summary.runId,
      },
    );
  }

  /** Runs a process that died left `running`: failed, as the next owner of the home finds them. */
  async failAbandoned(): Promise<void> {
    await this.state.run("UPDATE runs SET status = 'failed', finished_at = now()::TIMESTAMP WHERE status = 'running'");
  }

  async recent(limit: number): Promise<RunSummaryRow[]> {
    return this.state.all<RunSummaryRow>(
      `SELECT run_id, status, mode, started_at::VARCHAR AS started_at, finished_at::VARCHAR AS finished_at,
         summary::VARCHAR AS summary, error::VARCHAR AS error
       FROM runs ORDER BY started_at DESC LIMIT $n`,
      { n: limit },
    );
  }

  async lastSuccessfulRunId(): Promise<string | undefined> {
    const row = await this.state.one<{ run_id: string }>(
      "SELECT run_id FROM runs WHERE status = 'success' ORDER BY started_at DESC LIMIT 1",
    );
    return row?.run_id;
  }

  /** The quality report of the last successful run and the data tests it did not pass. */
  async lastQuality(): Promise<QualityView> {
    return qualityView(this.state, await this.lastSuccessfulRunId());
  }
}
