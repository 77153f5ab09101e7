import type { SqlSession } from '../duck/index.ts';
import { TransientError } from '../errors/index.ts';
import type { JobQueue } from '../state/index.ts';
import {
  MODEL_QUEUE,
  modelInputs,
  SOURCES,
  viewOverParquet,
  type Model,
  type ModelResult,
  type ModelTask,
} from '../transform/index.ts';

/** What the run knows that a model task needs: the ledger's bronze files and where each model's table is. */
export interface ModelTaskContext {
  bronzeFiles: Record<string, string[]>;
  /** The Parquet file of a model's table (absolute: workers see the home at the same path). */
  tableFile: (model: string) => string;
  idleMs: number;
  /** The model task's timeout: the queued task is cancelled and the wait ends. */
  signal?: AbortSignal | undefined;
}

/**
 * One model built by a `shoplake worker`: the task names its bronze files and input tables
 * as files of the shared lake and where its table goes; once a worker has built it, `db`
 * reads the table through a view. A task that fails on every attempt (its worker dying
 * each time) fails as transient; a model that fails (SQL, a blocking test) comes back as
 * its result, as when built here.
 */
export async function buildModelOnWorker(
  jobs: JobQueue,
  db: SqlSession,
  model: Model,
  ctx: ModelTaskContext,
): Promise<ModelResult> {
  const inputs = modelInputs(model);
  const task: ModelTask = {
    model: model.name,
    bronze: Object.fromEntries(model.bronzeInputs.map((e) => [e, ctx.bronzeFiles[e] ?? []])),
    inputs: Object.fromEntries(inputs.filter((d) => !SOURCES.has(d)).map((d) => [d, ctx.tableFile(d)])),
    output: ctx.tableFile(model.name),
  };
  let result: ModelResult | undefined;
  await jobs.run<ModelTask, ModelResult>(
    MODEL_QUEUE,
    [task],
    async (s) => {
      if (!s.ok)
        throw new TransientError(
          'model_task_failed',
          `model "${model.name}" failed on a worker after ${s.attempts} attempt(s): ${s.error}`,
          { subject: model.name, hint: "see the worker's log; the task is tried again with the run" },
        );
      result = s.output;
    },
    {
      ms: ctx.idleMs,
      error: (waiting) =>
        new TransientError(
          'no_workers',
          `no worker took model task "${model.name}" for ${Math.round(ctx.idleMs / 1000)} s (${waiting} waiting)`,
          {
            subject: model.name,
            hint:
              'start `shoplake worker --state <the state.url>` on a ' +
              'machine that sees the home, or set workers.models: false',
          },
        ),
    },
    ctx.signal,
  );
  if (result!.status === 'success') await viewOverParquet(db, model.name, task.output);
  return result!;
}
