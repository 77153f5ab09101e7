import { z } from 'zod';

/** The `orchestrator` part of the config (assembled in src/config). */
export const OrchestratorConfigSchema = z
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
  });
export type OrchestratorConfig = z.infer<typeof OrchestratorConfigSchema>;
