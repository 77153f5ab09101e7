import type { Command } from 'commander';
import { startServer } from '../../serve/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { progressLine } from '../progress-line.ts';

export function registerServe(program: Command): void {
  withCommonOptions(
    program
      .command('serve')
      .description('run the HTTP API, scheduler, landing watcher and executor in one process that owns the home')
      .option('--landing <dir>', 'landing folder to watch (default from config, else demo/landing)')
      .option('--port <n>', 'port to listen on (default from config, else 7420; 0 picks a free one)', (v) => Number(v))
      .option('--host <addr>', 'address to listen on (default 127.0.0.1)'),
  ).action(async (opts: CommonOptions & { landing?: string; port?: number; host?: string }) => {
    const config = await configFor(opts);
    if (opts.port !== undefined) config.server.port = opts.port;
    if (opts.host) config.server.host = opts.host;
    const log = (line: string) => process.stdout.write(`${new Date().toISOString()}  ${line}\n`);
    const server = await startServer({
      config,
      log,
      ...(opts.json || !process.stdout.isTTY ? {} : { progress: progressLine() }),
    });
    log(
      `shoplake serving ${config.home} at ${server.url} (landing ` +
        `${config.landing}${config.orchestrator.watchLanding ? ', watched' : ''}; ` +
        `daily ${config.orchestrator.dailySchedule || 'on trigger only'})`,
    );
    log(
      `API: ${server.url}/api/dags, /api/runs, /api/dlq; health ` +
        `${server.url}/healthz; metrics ${server.url}/metrics. Ctrl-C stops.`,
    );
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) {
          // A second signal: stop now. The next process to take the home fails the run left running.
          log(`${signal} again: stopping without waiting`);
          process.exit(130);
        }
        stopping = true;
        log(`${signal}: finishing the run in progress, then stopping (${signal} again stops at once)`);
        void server.close().then(resolve);
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
  });
}
