import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeadLetterQueue } from '../ingest/index.ts';
import type { Orchestrator } from '../home/index.ts';

/**
 * Prometheus metrics of one server, fed by the orchestrator's events: runs by outcome,
 * task durations, rows through each stage, files quarantined, and the depth of the run
 * queue and the dead-letter queue (read when scraped).
 */
export function pipelineMetrics(orchestrator: Orchestrator, dlq: DeadLetterQueue): Registry {
  const registry = new Registry();
  // The process's own: CPU, memory, garbage collection, and the event loop's delay since the
  // last scrape (nodejs_eventloop_lag_*), which every acknowledgement waits behind.
  collectDefaultMetrics({ register: registry });
  const runs = new Counter({
    name: 'shoplake_dag_runs_total',
    help: 'DAG runs that ended, by DAG and final state',
    labelNames: ['dag', 'state'],
    registers: [registry],
  });
  const taskSeconds = new Histogram({
    name: 'shoplake_task_duration_seconds',
    help: 'Duration of task attempts that ended, by DAG, task and state',
    labelNames: ['dag', 'task', 'state'],
    buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 1800],
    registers: [registry],
  });
  const rows = new Counter({
    name: 'shoplake_rows_processed_total',
    help: 'Rows through each pipeline stage (ingest, transform, publish)',
    labelNames: ['stage'],
    registers: [registry],
  });
  const files = new Counter({
    name: 'shoplake_files_total',
    help: 'Landing files handled, by outcome (ingested, quarantined, duplicate, failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'shoplake_queue_depth',
    help: 'Runs waiting to start (queue="runs") and dead letters waiting for a replay (queue="dead_letters")',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.set({ queue: 'runs' }, (await orchestrator.store.listRuns({ state: 'queued', limit: 10_000 })).length);
      this.set({ queue: 'dead_letters' }, await dlq.depth());
    },
  });
  new Gauge({
    name: 'shoplake_run_in_progress',
    help: '1 while a run is executing',
    registers: [registry],
    collect() {
      this.set(orchestrator.runningRunId ? 1 : 0);
    },
  });
  for (const outcome of ['ingested', 'quarantined', 'duplicate', 'failed']) files.inc({ outcome }, 0);

  orchestrator.on('task', (t) => {
    if ((t.state === 'success' || t.state === 'failed' || t.state === 'up_for_retry') && t.durationMs !== undefined) {
      taskSeconds.observe({ dag: t.dag, task: t.task, state: t.state }, t.durationMs / 1000);
    }
  });
  orchestrator.on('run', (run) => {
    if (run.state === 'queued' || run.state === 'running') return;
    runs.inc({ dag: run.dag, state: run.state });
    const s = orchestrator.summaryOf(run.runId);
    if (!s) return;
    for (const st of s.stages) rows.inc({ stage: st.stage }, st.rows);
    files.inc({ outcome: 'ingested' }, s.files.ingested);
    files.inc({ outcome: 'quarantined' }, s.files.quarantined);
    files.inc({ outcome: 'duplicate' }, s.files.duplicates);
    files.inc({ outcome: 'failed' }, s.files.failed);
  });
  return registry;
}
