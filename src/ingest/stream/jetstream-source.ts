import { AckPolicy, connect, type JsMsg, type NatsConnection } from 'nats';
import { errorMessage, TransientError } from '../../errors/index.ts';
import type { BatchParsers } from './batch-parsers.ts';
import { parseMessage } from './prepare-batch.ts';
import type { StreamIngestor } from './stream-ingestor.ts';
import type { StreamSpec } from './stream-spec.ts';

export interface JetStreamSourceOptions {
  /** nats://host:port */
  url: string;
  /** The JetStream stream to read (created over `subject` when missing). */
  stream: string;
  subject: string;
  /** Durable consumer name: where this source left off survives restarts. */
  durable: string;
  /** Which shoplake stream the messages carry. */
  target: StreamSpec['name'];
  batch?: number;
  onError?: (err: unknown) => void;
}

/**
 * A JetStream subject as a source: a durable pull consumer with explicit acks feeds the
 * same path as the HTTP collector. A batch of messages is acknowledged only after its
 * records are fsynced in the stream log that is delivered to bronze exactly once, so a
 * crash before the ack means redelivery, and a redelivered record is recognised by its
 * identity and not delivered twice. A message may hold one JSON object, an array, or NDJSON.
 * With `parsers`, messages are parsed on their threads, as the collector's bodies are, not
 * on the event loop that acknowledges.
 */
export class JetStreamSource {
  private nc: NatsConnection | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  received = 0;

  constructor(
    private readonly opts: JetStreamSourceOptions,
    private readonly ingestor: StreamIngestor,
    private readonly parsers?: BatchParsers,
  ) {}

  async start(): Promise<void> {
    try {
      this.nc = await connect({
        servers: this.opts.url.replace(/^nats:\/\//, ''),
        name: `shoplake-${this.opts.durable}`,
        maxReconnectAttempts: -1,
      });
    } catch (err) {
      throw new TransientError('nats_unreachable', `cannot connect to NATS at ${this.opts.url}: ${errorMessage(err)}`, {
        subject: this.opts.url,
        hint: 'check streaming.nats.url and that nats-server runs with JetStream (-js)',
      });
    }
    const jsm = await this.nc.jetstreamManager();
    await jsm.streams
      .info(this.opts.stream)
      .catch(() => jsm.streams.add({ name: this.opts.stream, subjects: [this.opts.subject] }));
    await jsm.consumers.info(this.opts.stream, this.opts.durable).catch(() =>
      jsm.consumers.add(this.opts.stream, {
        durable_name: this.opts.durable,
        ack_policy: AckPolicy.Explicit,
        filter_subject: this.opts.subject,
        ack_wait: 30_000_000_000,
      }),
    );
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.nc?.drain().catch(() => undefined);
  }

  private async run(): Promise<void> {
    const consumer = await this.nc!.jetstream().consumers.get(this.opts.stream, this.opts.durable);
    while (!this.stopped) {
      if (this.ingestor.full) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      try {
        const batch: JsMsg[] = [];
        for await (const m of await consumer.fetch({ max_messages: this.opts.batch ?? 500, expires: 1000 }))
          batch.push(m);
        if (batch.length === 0) continue;
        if (this.parsers)
          await this.ingestor.acceptPrepared(
            this.opts.target,
            await this.parsers.parseMessages(
              this.opts.target,
              batch.map((m) => m.data),
            ),
          );
        else
          await this.ingestor.accept(
            this.opts.target,
            batch.flatMap((m) => parseMessage(m.data)),
          );
        for (const m of batch) m.ack();
        this.received += batch.length;
      } catch (err) {
        // Unacknowledged messages come back after ack_wait; nothing is lost.
        this.opts.onError?.(err);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
