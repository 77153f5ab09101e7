import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DuckSession, engineShare } from '../../duck/index.ts';
import { TerminalError } from '../../errors/index.ts';
import { IngestQueue, runIngestTask } from '../../ingest/index.ts';
import { workerQueueOptions } from '../../home/index.ts';
import { JobQueue } from '../../state/index.ts';
import { loadModels, MODEL_QUEUE, runModelTask, type ModelResult, type ModelTask } from '../../transform/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { humanNumber, reportError } from '../output.ts';
import { positiveInt } from './generate-command.ts';

export function registerWorker(program: Command): void {
  withCommonOptions(
    program
      .command('worker')
      .description(
        'take ingest and model tasks from the task queues in the PostgreSQL ' +
          'state store (--state postgres://…) and run them, until Ctrl-C',
      )
      .option(
        '--concurrency <n>',
        "tasks at once, each with its own DuckDB connection (default: the config's ingest.concurrency, 2)",
        positiveInt,
      ),
  ).action(async (opts: CommonOptions & { concurrency?: number }) => {
    let jobs: JobQueue | undefined;
    try {
      const config = await configFor(opts);
      const concurrency = opts.concurrency ?? config.ingest.concurrency;
      if (!config.state.url.startsWith('postgres')) {
        throw new TerminalError('worker_needs_postgres', 'a worker takes its tasks from the PostgreSQL state store', {
          subject: 'state.url',
          hint: "pass --state postgres://user@host/db (the same as the scheduler's state.url)",
        });
      }
      jobs = await JobQueue.open(workerQueueOptions(config));
      const engine = {
        memoryLimit: config.engine.memoryLimit,
        tempDirectory: join(tmpdir(), `shoplake-worker-${process.pid}`),
        ...(config.engine.threads ? { threads: config.engine.threads } : {}),
      };
      // Staging tables are per connection: one forked connection per concurrent ingest task.
      const db = await DuckSession.open(':memory:', engine);
      const models = await loadModels(config.models.paths);
      const log = (line: string) =>
        process.stdout.write(
          opts.json
            ? `${JSON.stringify({ at: new Date().toISOString(), pid: process.pid, message: line })}\n`
            : `${new Date().toISOString()} worker ${process.pid}: ${line}\n`,
        );
      await new IngestQueue(jobs).work(concurrency, async (task) => {
        log(`start ${task.file.rel} (seq ${task.seq}, ${humanNumber(task.file.size)} bytes)`);
        const conn = await db.fork();
        const t0 = Date.now();
        try {
          const result = await runIngestTask(task, conn);
          log(
            `done ${task.file.rel}: ` +
              `${result.outcome.status}${result.outcome.reason ? ` (${result.outcome.reason})` : ''}, ` +
              `${humanNumber(result.outcome.rowsOk)} rows in ${Date.now() - t0} ms`,
          );
          return result;
        } finally {
          await conn.close();
        }
      });
      // A model task has a DuckDB of its own: its views and tables go with it. Tasks side by
      // side share the engine's memory cap and cores instead of each taking all of them.
      const modelEngine = engineShare(engine, concurrency, availableParallelism());
      await jobs.work<ModelTask, ModelResult>(MODEL_QUEUE, concurrency, async (task) => {
        log(`start model ${task.model}`);
        const result = await runModelTask(task, models, modelEngine);
        log(
          `done model ${task.model}: ${result.status}, ${humanNumber(result.rows)} ` +
            `rows in ${result.ms} ms${result.error ? ` (${result.error})` : ''}`,
        );
        return result;
      });
      log(`waiting for tasks (concurrency ${concurrency})`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      log('stopping: finishing the tasks in hand');
      await jobs.close();
      await db.close();
    } catch (err) {
      process.exitCode = reportError(err, opts);
      // A queue left open keeps the process alive: a worker that cannot work must exit.
      await jobs?.close();
    }
  });
}
