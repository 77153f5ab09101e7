import { z } from 'zod';
import { RestSourceSchema } from '../ingest/rest/rest-source.ts';

/**
 * shoplake's configuration, validated once at the edge. Every field is documented here,
 * where it is defined; `${NAME}` in any string is replaced by the environment variable.
 */
export const ConfigSchema = z
  .object({
    /** Folder holding everything shoplake writes: lake zones, state.duckdb, warehouse.duckdb. */
    home: z.string().min(1).default('demo/.shoplake'),
    /**
     * The landing zone: files dropped here are ingested. An `s3://bucket/prefix` URL is
     * mirrored into <home>/landing-mirror at the start of each run (new or changed objects
     * only) and ingested from there.
     */
    landing: z.string().min(1).default('demo/landing'),
    lake: z
      .object({
        /**
         * `local` keeps the lake under home only. An `s3://bucket/prefix` URL gets a copy on
         * every publish: bronze and quarantine files once, silver, gold and processed
         * partitions as versions behind a `_manifest.json` per zone (see S3Lake).
         */
        url: z
          .string()
          .regex(
            /^(local|s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?)$/,
            'either "local" or an s3://bucket/prefix URL',
          )
          .default('local'),
      })
      .strict()
      .default({ url: 'local' }),
    /**
     * How shoplake reaches S3 (or an S3-compatible server) for an s3:// landing or lake.
     * Unset fields come from the standard AWS chain: AWS_ACCESS_KEY_ID,
     * AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL, profiles, instance roles.
     */
    s3: z
      .object({
        /** An S3-compatible endpoint such as http://127.0.0.1:9000 (MinIO, s3rver); AWS's own when unset. */
        endpoint: z.string().url().optional(),
        /** The bucket's region; AWS_REGION, else us-east-1, when unset. */
        region: z.string().min(1).optional(),
        /** Path-style addressing (endpoint/bucket/key); default: on with an endpoint, off for AWS. */
        forcePathStyle: z.boolean().optional(),
        accessKeyId: z.string().min(1).optional(),
        secretAccessKey: z.string().min(1).optional(),
        /** Attempts per request (with the SDK's backoff) on throttling, 5xx and dropped connections. */
        maxAttempts: z.number().int().min(1).max(20).default(5),
      })
      .strict()
      .default({ maxAttempts: 5 }),
    engine: z
      .object({
        /** DuckDB's memory cap for a build; past it DuckDB spills to <home>/tmp. */
        memoryLimit: z
          .string()
          .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, 'a size such as 1200MB or 2GB')
          .default('1200MB'),
        /** Worker threads for DuckDB; default: one per core. */
        threads: z.number().int().positive().optional(),
        /**
         * Where `shoplake serve` runs a pipeline run's DuckDB work (the merge of stream
         * hours, the models and their tests, the warehouse file, the processed unload):
         * `child`, a process of its own at a lower CPU priority (`buildNice`), so the
         * collector's acknowledgements, the live overlay and the API keep the cores they
         * need while a build runs; `inline`, in the serving process. `shoplake run` and
         * `demo` always build in their own process: nothing else waits on its cores.
         */
        buildProcess: z.enum(['child', 'inline']).default('child'),
        /** How much lower the build process's CPU priority is than the server's (Unix `nice`, 0–19). */
        buildNice: z.number().int().min(0).max(19).default(10),
      })
      .strict()
      .default({ memoryLimit: '1200MB', buildProcess: 'child', buildNice: 10 }),
    warehouse: z
      .object({
        /**
         * Gold is always published to the embedded DuckDB file under home (what the server
         * reads). A `postgres://` URL publishes it to that PostgreSQL database too.
         */
        url: z
          .string()
          .regex(/^(duckdb|postgres(ql)?:\/\/.+)$/, 'either "duckdb" or a postgres:// URL')
          .default('duckdb'),
        /** The PostgreSQL schema gold is published to (staged in `<schema>__staging`, applied in one transaction). */
        schema: z
          .string()
          .regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case SQL identifier')
          .default('gold'),
        /**
         * What the web app and `shoplake query` read: `auto` is the PostgreSQL warehouse
         * when `url` is one, else the embedded file; `embedded` is always the embedded file.
         * The streaming live overlay is laid over both (in PostgreSQL as `<schema>_live`).
         */
        read: z.enum(['auto', 'embedded']).default('auto'),
        /**
         * Connections a PostgreSQL publish copies tables and builds indexes on side by side
         * (one more holds the publishing transaction). PostgreSQL parses a COPY and builds an
         * index on one core each, so about the database server's free cores.
         */
        connections: z.number().int().min(1).max(32).default(2),
      })
      .strict()
      .default({ url: 'duckdb', schema: 'gold', read: 'auto', connections: 2 }),
    /**
     * The state store. `duckdb` keeps it in <home>/state.duckdb; a `postgres://` URL
     * (`?schema=name`, default `shoplake`) keeps it in that PostgreSQL database instead:
     * DAG runs, task instances and logs, the file ledger, schema catalog, run summaries,
     * data-test results, dead letters and cursors. Migrated in place on connect.
     */
    state: z
      .object({
        url: z
          .string()
          .regex(/^(duckdb|postgres(ql)?:\/\/.+)$/, 'either "duckdb" or a postgres:// URL')
          .default('duckdb'),
      })
      .strict()
      .default({ url: 'duckdb' }),
    workers: z
      .object({
        /**
         * Hand the ingest of landing files to `shoplake worker` processes, on this machine or
         * others, through a job queue in the state PostgreSQL (needs a postgres:// state.url);
         * every worker must see the landing folder and the home at the same paths.
         */
        enabled: z.boolean().default(false),
        /**
         * The models too: each model task goes to a worker, which reads its inputs from and
         * writes its table to Parquet files in the home. Off, workers only ingest and the
         * models build in the process that runs the DAG (on one machine, the faster way).
         */
        models: z.boolean().default(true),
        /** Model tasks handed out at once: independent models (other entities) build side by side on different workers. */
        modelTasksAtOnce: z.number().int().positive().default(4),
        /** A task a worker has held this long is presumed lost (its worker dead) and given to another, in seconds. */
        taskTimeoutSeconds: z.number().int().min(2).default(900),
        /** A run fails (transient, retried) when no worker has taken a task for this long, in seconds. */
        idleSeconds: z.number().int().positive().default(60),
      })
      .strict()
      .default({ enabled: false, models: true, modelTasksAtOnce: 4, taskTimeoutSeconds: 900, idleSeconds: 60 }),
    /**
     * Your own DAGs: TypeScript or JavaScript modules (paths from the current folder) whose
     * default export is a DAG made with `defineDag`, a list of them, or a function of the
     * home returning either. Loaded by serve, run, trigger and backfill.
     */
    dags: z.array(z.string().min(1)).default([]),
    orchestrator: z
      .object({
        /** Cron schedule of the `daily` DAG, in UTC (croner syntax); "" runs it only when triggered. */
        dailySchedule: z.string().default('0 2 * * *'),
        /** On start, run every missed day since the last scheduled run (true) or only the latest (false). */
        catchup: z.boolean().default(false),
        /** Catch-up never queues more runs than this at once (the newest days). */
        maxCatchupRuns: z.number().int().positive().default(31),
        /** A daily run not finished this many minutes after it was queued raises an SLA alert; 0: none. */
        slaMinutes: z.number().nonnegative().default(0),
        /** `serve` starts a run when new landing files arrive (and stop changing). */
        watchLanding: z.boolean().default(true),
        /** How often the watcher looks at the landing folder, in ms. */
        watchIntervalMs: z.number().int().positive().default(2000),
        /** A new file must keep the same size and mtime this long before a run picks it up, in ms. */
        settleMs: z.number().int().nonnegative().default(3000),
      })
      .strict()
      .default({
        dailySchedule: '0 2 * * *',
        catchup: false,
        maxCatchupRuns: 31,
        slaMinutes: 0,
        watchLanding: true,
        watchIntervalMs: 2000,
        settleMs: 3000,
      }),
    ingest: z
      .object({
        /** Attempts to read one landing file within a run before it goes to the dead-letter queue. */
        fileAttempts: z.number().int().min(1).max(10).default(3),
        /** First delay between those attempts, in ms (doubling, with jitter). */
        retryDelayMs: z.number().int().nonnegative().default(500),
        /**
         * Landing files ingested at once in the run's process, each on a DuckDB connection of
         * its own; two keep two cores busy through the single-threaded parts of each file.
         */
        concurrency: z.number().int().min(1).max(16).default(2),
      })
      .strict()
      .default({ fileAttempts: 3, retryDelayMs: 500, concurrency: 2 }),
    server: z
      .object({
        /** Address `shoplake serve` listens on; 127.0.0.1 keeps it to this machine. */
        host: z.string().default('127.0.0.1'),
        /** Port of `shoplake serve`; 0 picks a free one (written to <home>/server.json). */
        port: z.number().int().min(0).max(65535).default(7420),
        /** Largest file the web app's upload accepts, in MiB. */
        uploadLimitMb: z.number().positive().default(200),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 7420, uploadLimitMb: 200 }),
    sources: z
      .object({
        /** Paginated JSON APIs fetched by the daily DAG's first task into the landing zone (see RestSourceSchema). */
        rest: z.array(RestSourceSchema).default([]),
      })
      .strict()
      .default({ rest: [] }),
    collector: z
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
      }),
    alerts: z
      .object({
        /** Which events are sent: failure (a run failed), retry_exhausted (a task gave up), sla_missed, recovery (success after a failure). */
        on: z
          .array(z.enum(['failure', 'retry_exhausted', 'sla_missed', 'recovery']))
          .default(['failure', 'retry_exhausted', 'sla_missed', 'recovery']),
        /** Slack-compatible incoming webhooks: each gets `{"text": ..., "blocks": [...]}` by POST. */
        webhooks: z
          .array(z.object({ url: z.string().url(), headers: z.record(z.string(), z.string()).optional() }).strict())
          .default([]),
        /** Email through an SMTP server. */
        email: z
          .object({
            host: z.string(),
            port: z.number().int().positive().default(587),
            /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
            secure: z.boolean().default(false),
            user: z.string().optional(),
            password: z.string().optional(),
            from: z.string(),
            to: z.array(z.string()).min(1),
          })
          .strict()
          .optional(),
        /** Link shown in alerts to open a run (the web app's address). */
        baseUrl: z.string().optional(),
      })
      .strict()
      .default({ on: ['failure', 'retry_exhausted', 'sla_missed', 'recovery'], webhooks: [] }),
  })
  .strict()
  .refine((c) => !c.workers.enabled || c.state.url.startsWith('postgres'), {
    message: 'workers need the state in PostgreSQL (state.url: postgres://…), where their task queue lives',
    path: ['workers', 'enabled'],
  });

export type ShoplakeConfig = z.infer<typeof ConfigSchema>;
