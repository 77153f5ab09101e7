import { z } from 'zod';

/** The `engine` part of the config (assembled in src/config). */
export const EngineConfigSchema = z
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
  .default({ memoryLimit: '1200MB', buildProcess: 'child', buildNice: 10 });
export type EngineConfig = z.infer<typeof EngineConfigSchema>;
