import type { HomeConfig } from './home-config.ts';
import type { JobQueueOptions } from '../state/index.ts';
import type { OrchestratorOptions } from './orchestrator.ts';
import type { ProgressSink } from '../common/index.ts';

/** The orchestrator's options as the config file sets them, for `serve` and the CLI alike. */
export function orchestratorOptions(config: HomeConfig, purpose: string, progress?: ProgressSink): OrchestratorOptions {
  const o = config.orchestrator;
  return {
    purpose,
    home: config.home,
    landing: config.landing,
    memoryLimit: config.engine.memoryLimit,
    ...(config.engine.threads ? { threads: config.engine.threads } : {}),
    ...(purpose === 'serve' && config.engine.buildProcess === 'child'
      ? { buildProcess: { nice: config.engine.buildNice } }
      : {}),
    stateUrl: config.state.url,
    dagFiles: config.dags,
    modelPaths: config.models.paths,
    restSources: config.sources.rest,
    fileAttempts: config.ingest.fileAttempts,
    retryDelayMs: config.ingest.retryDelayMs,
    ingestConcurrency: config.ingest.concurrency,
    dailySchedule: o.dailySchedule || undefined,
    catchup: o.catchup,
    dailySlaMs: o.slaMinutes ? o.slaMinutes * 60_000 : undefined,
    ...(config.warehouse.url !== 'duckdb'
      ? {
          postgresWarehouse: {
            url: config.warehouse.url,
            schema: config.warehouse.schema,
            connections: config.warehouse.connections,
          },
        }
      : {}),
    s3: config.s3,
    lakeUrl: config.lake.url,
    ...(config.workers.enabled
      ? {
          workers: {
            ...workerQueueOptions(config),
            idleMs: config.workers.idleSeconds * 1000,
            models: config.workers.models,
            modelTasksAtOnce: config.workers.modelTasksAtOnce,
          },
        }
      : {}),
    ...(progress ? { progress } : {}),
  };
}

/** The task queues as both their sides, the run and `shoplake worker`, see them from the config. */
export function workerQueueOptions(config: Pick<HomeConfig, 'state' | 'workers' | 'ingest'>): JobQueueOptions {
  return {
    ...queueLocation(config.state.url),
    taskTimeoutSeconds: config.workers.taskTimeoutSeconds,
    attempts: config.ingest.fileAttempts,
  };
}

/** The task queue lives beside the run history: same database, schema `<state schema>_queue`. */
export function queueLocation(stateUrl: string): { url: string; schema: string } {
  const url = new URL(stateUrl);
  const schema = `${url.searchParams.get('schema') ?? 'shoplake'}_queue`;
  url.searchParams.delete('schema');
  return { url: url.toString(), schema };
}
