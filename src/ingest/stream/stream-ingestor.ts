import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { literal, type DuckSession } from '../../duck/index.ts';
import { errorMessage } from '../../errors/index.ts';
import { writeAtomically, type LakeLayout } from '../../lake/index.ts';
import type { StateDb } from '../../state/index.ts';
import { deliverSegment, forgetStreamIds, type SegmentDelivery } from './deliver-segment.ts';
import { IdentityFilter } from './identity-filter.ts';
import { StreamLog, type GroupTiming } from './stream-log.ts';
import { prepareBatch, type PreparedBatch, type RecordRejection } from './prepare-batch.ts';
import { STREAMS, type StreamSpec } from './stream-spec.ts';

export type { RecordRejection } from './prepare-batch.ts';

const REJECT_KEYS = ['reason', 'detail', 'raw', 'received_at', 'index'];

/** How often the identities past the repeat window are forgotten, in ms. */
const PRUNE_EVERY_MS = 60_000;

export interface StreamIngestOptions {
  /** Deliver at least this often, in ms (Firehose's buffering interval, far shorter). */
  flushIntervalMs: number;
  /** Deliver as soon as this many bytes wait in a stream's open segment. */
  flushBytes: number;
  /** Refuse new records (429) while more than this many bytes wait for delivery. */
  maxBufferBytes: number;
  /** How long a delivered record's identity is remembered to drop repeats, in ms (default an hour). */
  dedupWindowMs?: number;
  onDelivered?: (deliveries: SegmentDelivery[]) => void;
  /** A batch was checked and its good records made durable, `ms` after it came in. */
  onAccepted?: (stream: StreamSpec['name'], accepted: number, rejected: number, ms: number) => void;
  /**
   * A group write to a stream's log was made durable: its queue
   * wait, write and fsync (the log's share of an acknowledgement).
   */
  onGroupWritten?: (stream: StreamSpec['name'], timing: GroupTiming) => void;
  onError?: (err: unknown) => void;
}

/**
 * The real-time path into the lake: records are checked one by one (they arrive over a
 * socket), good ones appended durably to their stream's log and bad ones to its
 * quarantine log, both fsynced before the caller answers; sealed segments are delivered
 * to bronze at the flush interval or size, exactly once.
 */
export class StreamIngestor {
  private readonly logs = new Map<StreamSpec['name'], StreamLog>();
  private readonly rejects = new Map<StreamSpec['name'], StreamLog>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<SegmentDelivery[]> | undefined;
  /** A tick came while a flush ran: the next one starts as soon as it ends. */
  private flushAgain = false;
  private prunedAt = 0;
  private stopped = false;

  constructor(
    private readonly db: DuckSession,
    private readonly state: StateDb,
    private readonly layout: LakeLayout,
    private readonly opts: StreamIngestOptions,
    private readonly batchId: () => string,
  ) {
    for (const s of Object.values(STREAMS)) {
      this.logs.set(
        s.name,
        new StreamLog(join(layout.home, 'stream', s.name), (timing) => this.opts.onGroupWritten?.(s.name, timing)),
      );
      this.rejects.set(s.name, new StreamLog(join(layout.home, 'stream', `${s.name}-rejects`)));
    }
  }

  /** Recovers what a previous process buffered and starts the flush clock. */
  async start(): Promise<void> {
    for (const log of [...this.logs.values(), ...this.rejects.values()]) await log.open();
    // In the background: deliveries check exactly until it has loaded.
    void IdentityFilter.of(this.db).load();
    this.schedule();
    this.kick();
  }

  get pendingBytes(): number {
    return [...this.logs.values()].reduce((n, l) => n + l.pendingBytes, 0);
  }

  /** The dedup window's identities held in memory, and their bytes. */
  get identities(): { identities: number; bytes: number } {
    return IdentityFilter.of(this.db).stats;
  }

  get full(): boolean {
    return this.pendingBytes > this.opts.maxBufferBytes;
  }

  /** Checks and durably buffers a batch; one verdict per record, none lost. */
  async accept(
    stream: StreamSpec['name'],
    records: readonly unknown[],
    receivedAt = new Date().toISOString(),
  ): Promise<{ accepted: number; rejected: RecordRejection[] }> {
    const started = performance.now();
    return this.acceptPrepared(stream, prepareBatch(STREAMS[stream], records, receivedAt), started);
  }

  /** Durably buffers a batch already checked (`prepareBatch`, perhaps on another thread). */
  async acceptPrepared(
    stream: StreamSpec['name'],
    batch: PreparedBatch,
    started = performance.now(),
  ): Promise<{ accepted: number; rejected: RecordRejection[] }> {
    const { good, bad, rejected } = batch;
    await Promise.all([
      good.length ? this.logs.get(stream)!.append(good, batch.keys) : undefined,
      bad.length ? this.rejects.get(stream)!.append(bad, REJECT_KEYS) : undefined,
    ]);
    if (this.logs.get(stream)!.openBytes >= this.opts.flushBytes) this.kick();
    this.opts.onAccepted?.(stream, good.length, rejected.length, performance.now() - started);
    return { accepted: good.length, rejected };
  }

  /** Seals and delivers everything buffered so far; one flush at a time. */
  flush(): Promise<SegmentDelivery[]> {
    this.flushing ??= this.deliverAll().finally(() => {
      this.flushing = undefined;
      if (this.flushAgain && !this.stopped) {
        this.flushAgain = false;
        this.kick();
      }
    });
    return this.flushing;
  }

  /** Stops the clock and delivers what is buffered. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.flushing;
    await this.flush().catch((err: unknown) => this.opts.onError?.(err));
    for (const log of [...this.logs.values(), ...this.rejects.values()]) await log.close();
  }

  /**
   * A fixed-rate clock: a record waits at most one interval for its flush to start, however
   * long deliveries take (a delivery running at a tick is followed at once by the next).
   */
  private schedule(): void {
    this.timer = setInterval(() => this.kick(), this.opts.flushIntervalMs);
    this.timer.unref();
  }

  /** A flush now, or right after the one running. */
  private kick(): void {
    if (this.flushing) this.flushAgain = true;
    else this.flush().catch((err: unknown) => this.opts.onError?.(err));
  }

  private async deliverAll(): Promise<SegmentDelivery[]> {
    const out: SegmentDelivery[] = [];
    for (const spec of Object.values(STREAMS)) {
      const log = this.logs.get(spec.name)!;
      await log.seal();
      for (const segment of await log.sealed()) {
        try {
          const { size } = await stat(segment);
          out.push(
            await deliverSegment(this.db, this.state, this.layout, spec, segment, this.batchId(), log.shapeOf(segment)),
          );
          await log.remove(segment, size);
        } catch (err) {
          // Kept for the next flush: nothing acknowledged is dropped.
          this.opts.onError?.(new Error(`delivering ${segment}: ${errorMessage(err)}`));
          break;
        }
      }
      await this.quarantine(spec);
    }
    const delivered = out.filter((d) => d.delivered > 0);
    if (delivered.length) this.opts.onDelivered?.(delivered);
    if (Date.now() - this.prunedAt >= PRUNE_EVERY_MS) {
      await forgetStreamIds(this.db, new Date(Date.now() - (this.opts.dedupWindowMs ?? 3_600_000)));
      this.prunedAt = Date.now();
    }
    return out;
  }

  /** Rejected records into the quarantine zone as Parquet, with reason, detail and raw record. */
  private async quarantine(spec: StreamSpec): Promise<void> {
    const log = this.rejects.get(spec.name)!;
    await log.seal();
    for (const segment of await log.sealed()) {
      const name = segment
        .split('/')
        .pop()!
        .replace(/\.ndjson$/, '');
      const target = join(this.layout.lake, 'quarantine', 'rows', 'stream', `${spec.name}-${name}.parquet`);
      await writeAtomically(target, (tmp) =>
        this.db.run(
          `COPY (SELECT ${literal(spec.entity)} AS entity, reason, detail, raw,
                      ${literal(`stream/${spec.name}`)} AS _source_file, "index"::BIGINT AS _line,
                      received_at::TIMESTAMP AS _ingested_at
               FROM read_json(${literal(segment)}, format = 'newline_delimited',
                              columns = {reason: 'VARCHAR', detail: 'VARCHAR', raw: 'VARCHAR',
                                         received_at: 'VARCHAR', "index": 'BIGINT'}, ignore_errors = true))
         TO ${literal(tmp)} (FORMAT parquet)`,
        ),
      );
      await log.remove(segment, 0);
    }
  }
}
