import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { StreamSpec } from '../ingest/index.ts';
import type { StreamObserver } from '../live/index.ts';

/** What the collector, its deliveries and the live overlay report to the metrics. */
export interface StreamMetrics extends StreamObserver {
  /**
   * A collector request's body was parsed and checked on a parse thread in `seconds` (the first part of `accepted`'s).
   */
  parsed(stream: StreamSpec['name'], seconds: number): void;
  /** A batch was refused with 429: the buffer was full. */
  throttled(stream: StreamSpec['name']): void;
}

const LATENCY = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const WORK = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The real-time path's Prometheus metrics on the server's registry: records by verdict,
 * the time a batch waits for its records to be durable (what the collector's answer waits
 * for), its parse and the fsync inside it, 429s, the bytes waiting for delivery, records
 * delivered and dropped as repeats, delivery and micro-batch durations, and the events in
 * the live overlay.
 */
export function streamMetrics(
  registry: Registry,
  pendingBytes: () => number,
  identities: () => { identities: number; bytes: number },
): StreamMetrics {
  const records = new Counter({
    name: 'shoplake_stream_records_total',
    help: 'Records the collector and JetStream sources received, by stream and verdict (accepted, rejected)',
    labelNames: ['stream', 'verdict'],
    registers: [registry],
  });
  const append = new Histogram({
    name: 'shoplake_stream_append_seconds',
    help: 'Time from a batch received to its accepted records fsynced (the collector answers after it), by stream',
    labelNames: ['stream'],
    buckets: LATENCY,
    registers: [registry],
  });
  const parse = new Histogram({
    name: 'shoplake_stream_parse_seconds',
    help:
      'Time from a collector request received to its body parsed and checked ' +
      'on a parse thread (the first part of the append time), by stream',
    labelNames: ['stream'],
    buckets: LATENCY,
    registers: [registry],
  });
  const sync = new Histogram({
    name: 'shoplake_stream_fsync_seconds',
    help:
      "fdatasync of one group write to a stream's log (every acknowledgement " +
      'waits for one; slow when other writers load the disk), by stream',
    labelNames: ['stream'],
    buckets: LATENCY,
    registers: [registry],
  });
  const queued = new Histogram({
    name: 'shoplake_stream_log_queue_seconds',
    help:
      "How long the oldest append of a group write to a stream's log waited for " +
      'it to start (behind the group before, a seal or a new segment), by stream',
    labelNames: ['stream'],
    buckets: LATENCY,
    registers: [registry],
  });
  const write = new Histogram({
    name: 'shoplake_stream_log_write_seconds',
    help: "write(2) of one group write to a stream's log, before its fsync, by stream",
    labelNames: ['stream'],
    buckets: LATENCY,
    registers: [registry],
  });
  const throttled = new Counter({
    name: 'shoplake_stream_throttled_total',
    help: 'Batches answered 429 because the buffer was full, by stream',
    labelNames: ['stream'],
    registers: [registry],
  });
  new Gauge({
    name: 'shoplake_stream_buffer_bytes',
    help: 'Bytes accepted and not yet delivered to bronze',
    registers: [registry],
    collect() {
      this.set(pendingBytes());
    },
  });
  new Gauge({
    name: 'shoplake_stream_identities',
    help:
      'Identities of the dedup window held in memory (IdentityFilter): ' +
      'a delivery reads the kept ones only for a possible repeat',
    registers: [registry],
    collect() {
      this.set(identities().identities);
    },
  });
  new Gauge({
    name: 'shoplake_stream_identity_filter_bytes',
    help: 'Memory the identity filter takes',
    registers: [registry],
    collect() {
      this.set(identities().bytes);
    },
  });
  const delivered = new Counter({
    name: 'shoplake_stream_delivered_records_total',
    help: 'Records delivered to bronze (kind="new") or dropped as repeats of delivered ones (kind="repeat"), by stream',
    labelNames: ['stream', 'kind'],
    registers: [registry],
  });
  const delivery = new Histogram({
    name: 'shoplake_stream_delivery_seconds',
    help: "Duration of one segment's delivery to bronze, by stream",
    labelNames: ['stream'],
    buckets: WORK,
    registers: [registry],
  });
  const refresh = new Histogram({
    name: 'shoplake_live_refresh_seconds',
    help: 'Duration of live overlay micro-batches that added events',
    buckets: WORK,
    registers: [registry],
  });
  const liveEvents = new Gauge({
    name: 'shoplake_live_events',
    help: 'Stream events in the live overlay (since the last build)',
    registers: [registry],
  });
  return {
    accepted(stream, ok, bad, seconds) {
      records.inc({ stream, verdict: 'accepted' }, ok);
      records.inc({ stream, verdict: 'rejected' }, bad);
      append.observe({ stream }, seconds);
    },
    parsed: (stream, seconds) => parse.observe({ stream }, seconds),
    groupWritten(stream, timing) {
      queued.observe({ stream }, timing.queued);
      write.observe({ stream }, timing.write);
      sync.observe({ stream }, timing.sync);
    },
    throttled: (stream) => throttled.inc({ stream }),
    delivered(deliveries) {
      for (const d of deliveries) {
        delivered.inc({ stream: d.stream, kind: 'new' }, d.delivered);
        delivered.inc({ stream: d.stream, kind: 'repeat' }, d.duplicates);
        delivery.observe({ stream: d.stream }, d.ms / 1000);
      }
    },
    refreshed(r) {
      liveEvents.set(r.events);
      if (r.added) refresh.observe(r.ms / 1000);
    },
  };
}
