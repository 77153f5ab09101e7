import { z } from 'zod';

/** The `dags` part of the config (assembled in src/config). */
/**
 * Your own DAGs: TypeScript or JavaScript modules (paths from the current folder) whose
 * default export is a DAG made with `defineDag`, a list of them, or a function of the
 * home returning either. Loaded by serve, run, trigger and backfill.
 */
export const DagFilesSchema = z.array(z.string().min(1)).default([]);
