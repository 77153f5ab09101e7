import { z } from 'zod';
import { RestSourceSchema } from './rest/rest-source.ts';

/** The `landing`, `ingest`, `sources` parts of the config (assembled in src/config). */
/**
 * The landing zone: files dropped here are ingested. An `s3://bucket/prefix` URL is
 * mirrored into <home>/landing-mirror at the start of each run (new or changed objects
 * only) and ingested from there.
 */
export const LandingSchema = z.string().min(1).default('demo/landing');

export const IngestConfigSchema = z
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
  .default({ fileAttempts: 3, retryDelayMs: 500, concurrency: 2 });
export type IngestConfig = z.infer<typeof IngestConfigSchema>;

export const SourcesConfigSchema = z
  .object({
    /** Paginated JSON APIs fetched by the daily DAG's first task into the landing zone (see RestSourceSchema). */
    rest: z.array(RestSourceSchema).default([]),
  })
  .strict()
  .default({ rest: [] });
export type SourcesConfig = z.infer<typeof SourcesConfigSchema>;
