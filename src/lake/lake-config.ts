import { z } from 'zod';

/** The `home`, `lake`, `s3` parts of the config (assembled in src/config). */
/** Folder holding everything shoplake writes: lake zones, state.duckdb, warehouse.duckdb. */
export const HomeSchema = z.string().min(1).default('demo/.shoplake');

export const LakeConfigSchema = z
  .object({
    /**
     * `local` keeps the lake under home only. An `s3://bucket/prefix` URL gets a copy on
     * every publish: bronze and quarantine files once, silver, gold and processed
     * partitions as versions behind a `_manifest.json` per zone (see S3Lake).
     */
    url: z
      .string()
      .regex(/^(local|s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?)$/, 'either "local" or an s3://bucket/prefix URL')
      .default('local'),
  })
  .strict()
  .default({ url: 'local' });
export type LakeConfig = z.infer<typeof LakeConfigSchema>;

/**
 * How shoplake reaches S3 (or an S3-compatible server) for an s3:// landing or lake.
 * Unset fields come from the standard AWS chain: AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL, profiles, instance roles.
 */
export const S3ConfigSchema = z
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
  .default({ maxAttempts: 5 });
export type S3Config = z.infer<typeof S3ConfigSchema>;
