import { z } from 'zod';

/** The `workers` part of the config (assembled in src/config). */
export const WorkersConfigSchema = z
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
  .default({ enabled: false, models: true, modelTasksAtOnce: 4, taskTimeoutSeconds: 900, idleSeconds: 60 });
export type WorkersConfig = z.infer<typeof WorkersConfigSchema>;
