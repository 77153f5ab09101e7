import { EventEmitter } from 'node:events';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServeConfig } from './server-config.ts';
import { TransientError } from '../errors/index.ts';
import { BatchParsers, DeadLetterQueue, JetStreamSource, openStreamDb, StreamIngestor } from '../ingest/index.ts';
import {
  LandingWatcher,
  landingProbe,
  Orchestrator,
  orchestratorOptions,
  Scheduler,
  type OrchestratorOptions,
} from '../home/index.ts';
import { throttle, type ProgressSink } from '../common/index.ts';
import { AlertDispatcher } from '../home/alerts/index.ts';
import { sendError } from './api-error.ts';
import { registerApiRoutes } from './api-routes.ts';
import { registerEventStream } from './event-stream.ts';
import { registerDashboardRoutes } from './dashboard-routes.ts';
import { openWarehouseReader } from './open-warehouse-reader.ts';
import { LiveEvents, type LiveRefresh } from '../live/index.ts';
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
    if (run.state === 'success') refreshLive();
    if (run.state !== 'queued')
      log(
        `${run.runId} ${run.dag} ${run.logicalDate} ${run.runType}: ${run.state}${run.error ? ` [${run.error.code}] ${run.error.message}` : ''}`,
      );
  });

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.setErrorHandler(sendError);
  const registry = pipelineMetrics(orchestrator, dlq);
  // Read when scraped, after the ingestor below exists.
  const metrics = streamMetrics(
    registry,
    () => ingestor.pendingBytes,
    () => ingestor.identities,
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
  const postgresLive =
    warehouseUrl === 'duckdb'
      ? undefined
      : new PostgresLiveOverlay({
          url: warehouseUrl,
          schema: goldSchema,
          scratchDir: join(orchestrator.layout.live, '.postgres'),
        });
  const live = new LiveEvents(orchestrator.state, orchestrator.layout, orchestrator.models, postgresLive, () =>
    refreshLive(),
  );
  // PostgreSQL down means a failed copy every batch: said once, and again when it recovers.
  let postgresFailing = false;
  // Calls while a refresh runs share the next one: its outcome is handled once, not once per call.
  let handled: Promise<unknown> | undefined;
  const refreshLive = () => {
    const refresh = live.refresh();
    if (refresh === handled) return;
    handled = refresh;
    void refresh.then(onLiveRefreshed).catch((err: unknown) => log(`live overlay: ${String(err)}`));
  };
  const onLiveRefreshed = (r: LiveRefresh) => {
    const failure = r.postgres && 'error' in r.postgres ? r.postgres.error : undefined;
    if (r.postgres && (failure !== undefined) !== postgresFailing) {
      postgresFailing = failure !== undefined;
      log(
        postgresFailing
          ? `live overlay: not copied to PostgreSQL (tried again with each batch): ${failure}`
          : 'live overlay: copied to PostgreSQL again',
      );
    }
    metrics.refreshed(r);
    if (r.rebase === 'rebased') log('live overlay: rebuilt on the new warehouse beside the serving one, and took over');
    if (!r.added) return;
    log(
      `live overlay: +${r.added} events (${r.events} since ${r.rebase === 'catching_up' ? 'the build before the last, standing in for the new one' : 'the last build'}) in ${r.ms} ms`,
    );
    liveFeed.emit('live', r);
  };
  registerDashboardRoutes(app, { warehouse, state: orchestrator.state });
  const c = config.collector;
  const streamDb = await openStreamDb(orchestrator.layout, orchestrator.work);
  const ingestor = new StreamIngestor(
    streamDb,
    orchestrator.state,
    orchestrator.layout,
    {
      flushIntervalMs: c.flushIntervalMs,
      flushBytes: Math.floor(c.flushMb * 2 ** 20),
      maxBufferBytes: Math.floor(c.maxBufferMb * 2 ** 20),
      dedupWindowMs: c.dedupWindowMinutes * 60_000,
      onError: (err) => log(`stream: ${String(err)}`),
      onAccepted: (stream, accepted, rejected, ms) => metrics.accepted(stream, accepted, rejected, ms / 1000),
      onGroupWritten: (stream, timing) => metrics.groupWritten(stream, timing),
      onDelivered: (d) => {
        metrics.delivered(d);
        log(`stream: ${d.reduce((n, x) => n + x.delivered, 0)} records delivered to bronze`);
        if (d.some((x) => x.outcome?.entity === 'events')) refreshLive();
        if (c.refreshGold) refreshGold.call();
      },
    },
    () => `stream-${new Date().toISOString()}`,
  );
  // A waiting landing run rebuilds gold too, so it covers a stream refresh.
  const refreshGold = throttle(
    () =>
      void orchestrator
        .triggerUnlessQueued('daily', 'stream', ['stream', 'landing'])
        .catch((err: unknown) => log(`stream: ${String(err)}`)),
    c.refreshGoldIntervalMs,
    { leading: false },
  );
  const parsers = c.token || c.nats.length ? new BatchParsers(c.parseThreads) : undefined;
  const sources = c.nats.map(
    (n) => new JetStreamSource({ ...n, onError: (err) => log(`nats ${n.subject}: ${String(err)}`) }, ingestor, parsers),
  );
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
          `cannot listen on ${config.server.host}:${config.server.port}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}`,
          {
            subject: `${config.server.host}:${config.server.port}`,
            hint: 'pass --port <n> (0 picks a free one) or set server.port in the config',
          },
        );
      });
    await writeServerInfo(config.home, { url, pid: process.pid, startedAt });
    refreshLive();
    await ingestor.start();
    for (const source of sources) await source.start();
    await scheduler.start();
    if (o.watchLanding) watcher.start();
    orchestrator.kick();
  } catch (err) {
    await app.close();
    await parsers?.close();
    await streamDb.close();
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
      refreshGold.cancel();
      await app.close();
      await parsers?.close();
      for (const source of sources) await source.stop();
      await ingestor.stop();
      await streamDb.close();
      await live.close();
      await warehouse.close();
      await removeServerInfo(config.home);
      await orchestrator.close();
      await alerts.flush();
    },
  };
}
