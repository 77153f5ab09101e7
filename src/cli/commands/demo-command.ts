import { pathExists } from '../../lake/index.ts';
import type { Command } from 'commander';

import { join } from 'node:path';
import { generateLanding } from '../../generate/index.ts';
import { runPipeline } from '../../home/index.ts';
import { startServer } from '../../serve/index.ts';
import { withCommonOptions, configFor, type CommonOptions } from '../common-options.ts';
import { humanMs, printJson, printTable } from '../output.ts';
import { openForReading } from '../open-home.ts';
import { progressLine } from '../progress-line.ts';
import { printRunSummary, runExitCode } from './run-command.ts';
import { positiveNumber } from './generate-command.ts';

/**
 * `npm start`: make the demo landing data if it is not there,
 * run the pipeline, show the result, then serve the web app.
 */
export function registerDemo(program: Command): void {
  withCommonOptions(
    program
      .command('demo')
      .description('generate demo data (first time), run the whole pipeline on it and show a summary')
      .option('--landing <dir>', 'landing folder', 'demo/landing')
      .option('--scale <n>', 'demo volume (1 = about 1M order lines)', positiveNumber, 0.05)
      .option('--serve', 'then keep serving the web app and the API on the demo home (what `npm start` does)'),
  ).action(async (opts: CommonOptions & { landing: string; scale: number; serve?: boolean }) => {
    const config = await configFor(opts);
    const landing = opts.landing;
    const fresh = !(await pathExists(join(landing, '_truth')));
    if (fresh) {
      process.stderr.write(`generating demo data (scale ${opts.scale}, 2 deliveries) into ${landing} ...\n`);
      const g = await generateLanding({ out: landing, scale: opts.scale, seed: 7, drops: 2 });
      process.stderr.write(`wrote ${g.files.length} files in ${humanMs(g.ms)}\n`);
    }
    const summary = await runPipeline({
      home: config.home,
      landing,
      memoryLimit: config.engine.memoryLimit,
      ...(opts.json ? {} : { progress: progressLine() }),
    });
    if (opts.json) {
      printJson(summary);
    } else {
      printRunSummary(summary);
      if (summary.status !== 'failed') {
        const wh = await openForReading(config.home, 'warehouse');
        try {
          process.stdout.write('\nmonthly revenue (mart_monthly_revenue):\n');
          printTable(
            await wh.all('SELECT year, month, orders, revenue FROM mart_monthly_revenue ORDER BY year, month'),
          );
        } finally {
          await wh.close();
        }
        const h = config.home;
        process.stdout.write(
          `\nnext:\n  npx shoplake status --home ${h}\n  npx shoplake ` +
            `report --home ${h}\n  npx shoplake catalog --home ${h}\n` +
            `  npx shoplake query --home ${h} "select * from mart_daily_revenue order by date limit 5"\n`,
        );
      }
    }
    process.exitCode = runExitCode(summary);
    if (opts.serve && summary.status !== 'failed') {
      const server = await startServer({ config: { ...config, landing } });
      process.stdout.write(
        `\nshoplake is serving the demo at ${server.url}  (dashboards, runs, SQL console; Ctrl-C stops)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    }
  });
}
