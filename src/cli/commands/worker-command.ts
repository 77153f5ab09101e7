import type { Command } from 'commander';
import { DuckSession } from '../../duck/index.ts';
import { TerminalError } from '../../errors/index.ts';
import { IngestQueue, runIngestTask } from '../../ingest/index.ts';
import { workerQueueOptions } from '../../orchestrate/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { humanNumber, reportError } from '../output.ts';
import { positiveInt } from './generate-command.ts';

export function registerWorker(program: Command): void {
  withCommonOptions(
    program
      .command('worker')
      .description('take ingest tasks from the task queue in the PostgreSQL state store (--state postgres://…) and run them, until Ctrl-C')
      .option('--concurrency <n>', 'tasks at once, each with its own DuckDB connection (default: the config\'s ingest.concurrency, 2)', positiveInt),
  ).action(async (opts: CommonOptions & { concurrency?: number }) => {
    try {
      const config = await configFor(opts);
      const concurrency = opts.concurrency ?? config.ingest.concurrency;
      if (!config.state.url.startsWith('postgres')) {
        throw new TerminalError('worker_needs_postgres', 'a worker takes its tasks from the PostgreSQL state store', { subject: 'state.url', hint: 'pass --state postgres://user@host/db (the same as the scheduler\'s state.url)' });
      }
      const queue = await IngestQueue.open(workerQueueOptions(config));
      // Staging tables are per connection: one forked connection per concurrent task.
      const db = await DuckSession.open(':memory:', { memoryLimit: config.engine.memoryLimit, ...(config.engine.threads ? { threads: config.engine.threads } : {}) });
      const log = (line: string) => process.stdout.write(opts.json ? `${JSON.stringify({ at: new Date().toISOString(), pid: process.pid, message: line })}\n` : `${new Date().toISOString()} worker ${process.pid}: ${line}\n`);
      await queue.work(concurrency, async (task) => {
        log(`start ${task.file.rel} (seq ${task.seq}, ${humanNumber(task.file.size)} bytes)`);
        const conn = await db.fork();
        const t0 = Date.now();
        try {
          const result = await runIngestTask(task, conn);
          log(`done ${task.file.rel}: ${result.outcome.status}${result.outcome.reason ? ` (${result.outcome.reason})` : ''}, ${humanNumber(result.outcome.rowsOk)} rows in ${Date.now() - t0} ms`);
          return result;
        } finally {
          await conn.close();
        }
      });
      log(`waiting for tasks (concurrency ${concurrency})`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      log('stopping: finishing the tasks in hand');
      await queue.close();
      await db.close();
    } catch (err) {
      process.exitCode = reportError(err, opts);
    }
  });
}
