import { throttle } from '../common/index.ts';
import type { DuckSession } from '../duck/index.ts';
import { BatchParsers, JetStreamSource, openStreamDb, StreamIngestor } from '../ingest/index.ts';
import type { LakeLayout } from '../lake/index.ts';
import type { StateDb } from '../state/index.ts';
import type { Model } from '../transform/index.ts';
import type { CollectorConfig } from './collector-config.ts';
import { LiveEvents, type LiveRefresh } from './live-events.ts';
import type { LiveMirror } from './live-mirror.ts';
import type { StreamObserver } from './stream-observer.ts';

export interface StreamingOptions {
  collector: CollectorConfig;
  state: StateDb;
  layout: LakeLayout;
  /** The process's DuckDB on the home's state file, where the stream keeps its identities. */
  work: DuckSession;
  models: readonly Model[];
  /** The overlay's copy in the PostgreSQL warehouse, when there is one. */
  mirror?: LiveMirror;
  observer: StreamObserver;
  log: (line: string) => void;
  /** Asks for a rebuild of gold (a `stream` run); called at most once per `refreshGoldIntervalMs`. */
  refreshGold: () => Promise<unknown>;
  /** The live overlay took in new events. */
  onLive: (refresh: LiveRefresh) => void;
}

/** The speed layer of a serving process: the stream into bronze and the live overlay over gold. */
export interface Streaming {
  ingestor: StreamIngestor;
  /** Parse threads for the collector's bodies and JetStream messages (none when neither is configured). */
  parsers: BatchParsers | undefined;
  /** Brings the overlay up to date (after a delivery, or a publish it must start over on). */
  refreshLive(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** No more rebuilds of gold asked for (the server is closing). */
  cancelRefresh(): void;
  /** Closes what opening made, for a server that failed before `start`. */
  abandon(): Promise<void>;
}

/**
 * Opens the real-time path: the stream ingestor delivering to bronze, the JetStream
 * sources feeding it, the live overlay refreshed after each delivery of events, and a
 * throttled rebuild of gold after deliveries. Nothing runs until `start`.
 */
export async function startStreaming(opts: StreamingOptions): Promise<Streaming> {
  const { collector: c, log, observer } = opts;
  const live = new LiveEvents(opts.state, opts.layout, opts.models, opts.mirror, () => refreshLive());
  // PostgreSQL down means a failed copy every batch: said once, and again when it recovers.
  let mirrorFailing = false;
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
    if (r.postgres && (failure !== undefined) !== mirrorFailing) {
      mirrorFailing = failure !== undefined;
      log(
        mirrorFailing
          ? `live overlay: not copied to PostgreSQL (tried again with each batch): ${failure}`
          : 'live overlay: copied to PostgreSQL again',
      );
    }
    observer.refreshed(r);
    if (r.rebase === 'rebased') log('live overlay: rebuilt on the new warehouse beside the serving one, and took over');
    if (!r.added) return;
    const since =
      r.rebase === 'catching_up' ? 'the build before the last, standing in for the new one' : 'the last build';
    log(`live overlay: +${r.added} events (${r.events} since ${since}) in ${r.ms} ms`);
    opts.onLive(r);
  };
  // A waiting landing run rebuilds gold too, so it covers a stream refresh.
  const refreshGold = throttle(
    () => void opts.refreshGold().catch((err: unknown) => log(`stream: ${String(err)}`)),
    c.refreshGoldIntervalMs,
    { leading: false },
  );
  const streamDb = await openStreamDb(opts.layout, opts.work);
  const ingestor = new StreamIngestor(
    streamDb,
    opts.state,
    opts.layout,
    {
      flushIntervalMs: c.flushIntervalMs,
      flushBytes: Math.floor(c.flushMb * 2 ** 20),
      maxBufferBytes: Math.floor(c.maxBufferMb * 2 ** 20),
      dedupWindowMs: c.dedupWindowMinutes * 60_000,
      onError: (err) => log(`stream: ${String(err)}`),
      onAccepted: (stream, accepted, rejected, ms) => observer.accepted(stream, accepted, rejected, ms / 1000),
      onGroupWritten: (stream, timing) => observer.groupWritten(stream, timing),
      onDelivered: (d) => {
        observer.delivered(d);
        log(`stream: ${d.reduce((n, x) => n + x.delivered, 0)} records delivered to bronze`);
        if (d.some((x) => x.outcome?.entity === 'events')) refreshLive();
        if (c.refreshGold) refreshGold.call();
      },
    },
    () => `stream-${new Date().toISOString()}`,
  );
  const parsers = c.token || c.nats.length ? new BatchParsers(c.parseThreads) : undefined;
  const sources = c.nats.map(
    (n) => new JetStreamSource({ ...n, onError: (err) => log(`nats ${n.subject}: ${String(err)}`) }, ingestor, parsers),
  );
  return {
    ingestor,
    parsers,
    refreshLive,
    async start() {
      refreshLive();
      await ingestor.start();
      for (const source of sources) await source.start();
    },
    cancelRefresh: () => refreshGold.cancel(),
    async stop() {
      refreshGold.cancel();
      await parsers?.close();
      for (const source of sources) await source.stop();
      await ingestor.stop();
      await streamDb.close();
      await live.close();
    },
    async abandon() {
      refreshGold.cancel();
      await parsers?.close();
      await streamDb.close();
    },
  };
}
