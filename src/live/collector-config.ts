import { z } from 'zod';

/** The `collector` part of the config (assembled in src/config). */
export const CollectorConfigSchema = z
  .object({
    /** Bearer token clients send to POST /v1/events and /v1/orders; without one the collector is off. */
    token: z.string().min(16, 'at least 16 characters').optional(),
    /**
     * Deliver buffered records to bronze at least this often, in ms. A record waits up to
     * this long before its delivery starts, so it bounds freshness; each delivery writes
     * a bronze file per stream and day, so it also sets how many small files the lake gets.
     */
    flushIntervalMs: z.number().int().positive().default(500),
    /** ...or as soon as a stream's open segment holds this many MiB. */
    flushMb: z.number().positive().default(4),
    /**
     * A record whose identity (event_id; an order record's content) was delivered within
     * this many minutes is a repeat and is not delivered again: client retries, re-sent
     * batches, JetStream redeliveries. Older identities are forgotten; silver still keeps
     * one row per event_id. The server holds the window's identities in memory (11–23
     * bytes each, loaded in the background at start), so a window of tens of millions
     * costs memory, not delivery time.
     */
    dedupWindowMinutes: z.number().positive().default(60),
    /** Answer 429 (Retry-After) while more than this many MiB wait for delivery. */
    maxBufferMb: z.number().positive().default(256),
    /** Largest request body, in MiB. */
    maxBatchMb: z.number().positive().default(10),
    /**
     * Threads that parse and check request bodies and JetStream messages, off the event loop that acknowledges
     * (a pause on one holds only its request). Two keep up with 20,000 events/s on two cores.
     */
    parseThreads: z.number().int().min(1).max(16).default(2),
    /**
     * After a delivery, rebuild and publish gold (a `stream` run of the daily DAG), folding
     * the live overlay's events into the warehouse and the rest of gold (orders, marts).
     */
    refreshGold: z.boolean().default(true),
    /**
     * Such a rebuild comes this many ms after a delivery, one per interval at most; the live
     * overlay keeps the event tables fresh in between.
     */
    refreshGoldIntervalMs: z.number().int().nonnegative().default(300_000),
    /** NATS JetStream subjects read by durable consumers into the same streams as the HTTP collector. */
    nats: z
      .array(
        z
          .object({
            url: z
              .string()
              .regex(/^nats:\/\/.+/, 'a nats://host:port URL')
              .default('nats://127.0.0.1:4222'),
            stream: z.string().min(1),
            subject: z.string().min(1),
            durable: z
              .string()
              .regex(/^[A-Za-z0-9_-]+$/)
              .default('shoplake'),
            target: z.enum(['events', 'orders']),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .default({
    flushIntervalMs: 500,
    flushMb: 4,
    dedupWindowMinutes: 60,
    maxBufferMb: 256,
    maxBatchMb: 10,
    parseThreads: 2,
    refreshGold: true,
    refreshGoldIntervalMs: 300_000,
    nats: [],
  });
export type CollectorConfig = z.infer<typeof CollectorConfigSchema>;
