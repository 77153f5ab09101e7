import { EventEmitter } from 'node:events';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServeConfig } from './server-config.ts';
import { TransientError } from '../errors/index.ts';
import { DeadLetterQueue } from '../ingest/index.ts';
import {
  LandingWatcher,
  landingProbe,
  Orchestrator,
  orchestratorOptions,
  Scheduler,
  AlertDispatcher,
  type OrchestratorOptions,
} from '../home/index.ts';
import type { ProgressSink } from '../common/index.ts';
import { sendError } from './api-error.ts';
import { registerApiRoutes } from './api-routes.ts';
import { registerEventStream } from './event-stream.ts';
import { registerDashboardRoutes } from './dashboard-routes.ts';
import { openWarehouseReader } from './open-warehouse-reader.ts';
import { startStreaming } from '../live/index.ts';
import { PostgresLiveOverlay } from '../engines/postgres/index.ts';
import { join } from 'node:path';
import { registerWebApp } from './web-app.ts';
import { registerUploadRoutes } from './upload-routes.ts';
import { registerQualityRoutes } from './quality-routes.ts';
import { modelDocs } from './model-docs.ts';
import { registerCollectorRoutes } from './collector-routes.ts';
import { pipelineMetrics } from './pipeline-metrics.ts';
import { streamMetrics } from './stream-metrics.ts';
import { removeServerInfo, writeServerInfo } from './server-info.ts';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  orchestrator: Orchestrator;
  scheduler: Scheduler;
  /** Stops taking work, lets the run in progress finish, releases the home. */
  close(): Promise<void>;
}

export interface ServeOptions {
  config: ServeConfig;
  progress?: ProgressSink;
  /** Log lines for the terminal (server events, watcher and scheduler errors). */
  log?: (line: string) => void;
  /** More DAGs beside the built-in ones. */
  extraDags?: OrchestratorOptions['extraDags'];
}

/**
 * `shoplake serve`: one process owning the home, with the HTTP API, the scheduler, the
 * landing watcher, alerts and the executor. It writes <home>/server.json so that CLI
 * commands send their requests here instead of opening the home's files.
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const { config } = opts;
  const log = opts.log ?? (() => undefined);
  const o = config.orchestrator;
  const orchestrator = await Orchestrator.open({
    ...orchestratorOptions(config, 'serve', opts.progress),
    ...(opts.extraDags ? { extraDags: opts.extraDags } : {}),
  });
  const dlq = new DeadLetterQueue(orchestrator.state);
  const alerts = new AlertDispatcher(config.alerts, {
    onError: (sink, err) => log(`alert to ${sink} failed: ${String(err)}`),
  });
  alerts.attach(orchestrator);
  const scheduler = new Scheduler(orchestrator, {
    maxCatchupRuns: o.maxCatchupRuns,
    onError: (dag, err) => log(`scheduler: ${dag}: ${String(err)}`),
  });
  const landing = landingProbe(config.landing, orchestrator.state, orchestrator.layout, config.s3);
  const watcher = new LandingWatcher({
    landing,
    intervalMs: o.watchIntervalMs,
    settleMs: o.settleMs,
    onError: (err) => log(`landing watcher: ${String(err)}`),
    onSettled: async () => {
      const pending = await landing.pending();
      if (pending === 0) return;
      const run = await orchestrator.triggerUnlessQueued('daily', 'landing');
      if (run) log(`landing: ${pending} new or changed files settled; queued ${run.runId}`);
    },
  });
  orchestrator.on('ownership_lost', (err) => log(`state store: [${err.code}] ${err.message}; ${err.hint ?? ''}`));
  orchestrator.on('run', (run) => {
    // A publish folds the overlay's events into the warehouse: the overlay starts over after it.
    if (run.state === 'success') streaming.refreshLive();
    if (run.state !== 'queued')
      log(
        `${run.runId} ${run.dag} ${run.logicalDate} ${run.runType}: ` +
          `${run.state}${run.error ? ` [${run.error.code}] ${run.error.message}` : ''}`,
      );
  });

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.setErrorHandler(sendError);
  const registry = pipelineMetrics(orchestrator, dlq);
  // Read when scraped, after the stream's ingestor below exists.
  const metrics = streamMetrics(
    registry,
    () => streaming.ingestor.pendingBytes,
    () => streaming.ingestor.identities,
  );
  const startedAt = new Date().toISOString();
  // Unhealthy once another process owns the state store: a supervisor should stop this one.
  app.get('/healthz', async (_req, reply) => {
    const lost = orchestrator.ownershipLost;
    return reply.code(lost ? 503 : 200).send({
      status: lost ? 'ownership_lost' : 'ok',
      home: config.home,
      startedAt,
      running: orchestrator.runningRunId ?? null,
      ...(lost ? { error: lost.message } : {}),
    });
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  registerApiRoutes(app, { orchestrator, dlq, scheduler });
  const liveFeed = new EventEmitter();
  registerEventStream(app, orchestrator, liveFeed);
  const warehouse = openWarehouseReader(config);
  const { url: warehouseUrl, schema: goldSchema } = config.warehouse;
  const c = config.collector;
  const streaming = await startStreaming({
    collector: c,
    state: orchestrator.state,
    layout: orchestrator.layout,
    work: orchestrator.work,
    models: orchestrator.models,
    ...(warehouseUrl === 'duckdb'
      ? {}
      : {
          mirror: new PostgresLiveOverlay({
            url: warehouseUrl,
            schema: goldSchema,
            scratchDir: join(orchestrator.layout.live, '.postgres'),
          }),
        }),
    observer: metrics,
    log,
    refreshGold: () => orchestrator.triggerUnlessQueued('daily', 'stream', ['stream', 'landing']),
    onLive: (r) => liveFeed.emit('live', r),
  });
  const { ingestor, parsers } = streaming;
  registerDashboardRoutes(app, { warehouse, state: orchestrator.state });
  if (c.token)
    await registerCollectorRoutes(app, {
      ingestor,
      parsers: parsers!,
      token: c.token,
      maxBatchBytes: Math.floor(c.maxBatchMb * 2 ** 20),
      onThrottled: (stream) => metrics.throttled(stream),
      onParsed: (stream, seconds) => metrics.parsed(stream, seconds),
    });
  registerQualityRoutes(app, orchestrator);
  app.get('/api/models', async () => modelDocs(orchestrator.models, warehouse));
  registerUploadRoutes(app, {
    orchestrator,
    landing: config.landing,
    maxBytes: Math.floor(config.server.uploadLimitMb * 2 ** 20),
  });
  await registerWebApp(app);

  let url: string;
  try {
    url = await app
      .listen({ host: config.server.host, port: config.server.port })
      .catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EADDRINUSE' && err.code !== 'EACCES') throw err;
        throw new TransientError(
          'port_unavailable',
          `cannot listen on ${config.server.host}:${config.server.port}: ` +
            `${err.code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}`,
          {
            subject: `${config.server.host}:${config.server.port}`,
            hint: 'pass --port <n> (0 picks a free one) or set server.port in the config',
          },
        );
      });
    await writeServerInfo(config.home, { url, pid: process.pid, startedAt });
    await streaming.start();
    await scheduler.start();
    if (o.watchLanding) watcher.start();
    orchestrator.kick();
  } catch (err) {
    await app.close();
    await streaming.abandon();
    await orchestrator.close();
    throw err;
  }
  return {
    url,
    app,
    orchestrator,
    scheduler,
    async close() {
      watcher.stop();
      landing.close();
      scheduler.stop();
      streaming.cancelRefresh();
      await app.close();
      await streaming.stop();
      await warehouse.close();
      await removeServerInfo(config.home);
      await orchestrator.close();
      await alerts.flush();
    },
  };
}
