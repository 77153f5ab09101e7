import { readFile } from 'node:fs/promises';
import { DuckSession, type DuckOptions } from '../duck/index.ts';
import { createBronzeSources } from './bronze-sources.ts';
import { buildModel, viewOverParquet, type ModelResult } from './build-models.ts';
import { MACROS_SQL_URL } from './macros-url.ts';
import type { Model } from './model-declaration.ts';

/** The queue model tasks go through to `shoplake worker` processes. */
export const MODEL_QUEUE = 'shoplake-model';

/**
 * One model to build away from the run that owns the build: everything it reads and
 * writes is a Parquet file of the shared lake, named by absolute path (every worker sees
 * the home at the same path).
 */
export interface ModelTask {
  model: string;
  /** The bronze files of each entity the model reads, as the run's ledger lists them. */
  bronze: Record<string, string[]>;
  /** The Parquet file of each model it reads. */
  inputs: Record<string, string>;
  /** Where its result goes (written aside, then renamed: a retried task rewrites the same file). */
  output: string;
}

/**
 * Builds one model task in a DuckDB of its own: the cleansing macros, the bronze sources
 * and a view per input, then the model into its file with its data tests. A model this
 * process does not know (a worker of another shoplake version) fails the task, naming it.
 */
export async function runModelTask(
  task: ModelTask,
  models: readonly Model[],
  engine: DuckOptions,
): Promise<ModelResult> {
  const model = models.find((m) => m.name === task.model);
  if (!model) {
    return {
      model: task.model,
      status: 'failed',
      rows: 0,
      ms: 0,
      tests: [],
      error: `this worker has no model "${task.model}": run the same shoplake version and models as the scheduler`,
    };
  }
  const db = await DuckSession.open(':memory:', engine);
  try {
    await db.run('SET preserve_insertion_order = false');
    await db.run(await readFile(MACROS_SQL_URL, 'utf8'));
    await createBronzeSources(db, task.bronze);
    for (const [name, file] of Object.entries(task.inputs)) await viewOverParquet(db, name, file);
    return await buildModel(db, model, task.output);
  } finally {
    await db.close();
  }
}
