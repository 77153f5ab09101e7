import { z } from 'zod';

/** The `models` part of the config (assembled in src/config). */
export const ModelsConfigSchema = z
  .object({
    /**
     * Folders of the project's own models (read from the project's folder): every `*.sql`
     * under them is a model named after its file, with an optional `<name>.yaml`
     * declaration beside it (ProjectModelSchema). It may read the built-in silver and
     * gold tables, the bronze sources and other models; its dependencies are read from its
     * SQL. A model named like a built-in one replaces it.
     */
    paths: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .default({ paths: [] });

export type ModelsConfig = z.infer<typeof ModelsConfigSchema>;
