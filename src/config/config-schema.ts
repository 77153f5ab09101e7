import { z } from 'zod';

/**
 * shoplake's configuration, validated once at the edge. Every field is documented here,
 * where it is defined; `${NAME}` in any string is replaced by the environment variable.
 */
export const ConfigSchema = z
  .object({
    /** Folder holding everything shoplake writes: lake zones, state.duckdb, warehouse.duckdb. */
    home: z.string().min(1).default('demo/.shoplake'),
    /** The landing zone: files dropped here are ingested. */
    landing: z.string().min(1).default('demo/landing'),
    engine: z
      .object({
        /** DuckDB's memory cap for a build; past it DuckDB spills to <home>/tmp. */
        memoryLimit: z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, 'a size such as 1200MB or 2GB').default('1200MB'),
        /** Worker threads for DuckDB; default: one per core. */
        threads: z.number().int().positive().optional(),
      })
      .strict()
      .default({ memoryLimit: '1200MB' }),
    warehouse: z
      .object({
        /** Where gold is published: the embedded DuckDB file under home. */
        kind: z.literal('duckdb').default('duckdb'),
      })
      .strict()
      .default({ kind: 'duckdb' }),
  })
  .strict();

export type ShoplakeConfig = z.infer<typeof ConfigSchema>;
