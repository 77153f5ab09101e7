import { z } from 'zod';

/** The `state` part of the config (assembled in src/config). */
/**
 * The state store. `duckdb` keeps it in <home>/state.duckdb; a `postgres://` URL
 * (`?schema=name`, default `shoplake`) keeps it in that PostgreSQL database instead:
 * DAG runs, task instances and logs, the file ledger, schema catalog, run summaries,
 * data-test results, dead letters and cursors. Migrated in place on connect.
 */
export const StateConfigSchema = z
  .object({
    url: z
      .string()
      .regex(/^(duckdb|postgres(ql)?:\/\/.+)$/, 'either "duckdb" or a postgres:// URL')
      .default('duckdb'),
  })
  .strict()
  .default({ url: 'duckdb' });
export type StateConfig = z.infer<typeof StateConfigSchema>;
