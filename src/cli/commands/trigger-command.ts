import type { Command } from 'commander';
import { Orchestrator, orchestratorOptions } from '../../home/index.ts';
import { type DagRunRecord } from '../../dag/index.ts';
import type { RunSummary } from '../../pipeline/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { EXIT, printJson } from '../output.ts';
import { progressLine } from '../progress-line.ts';
import { ServerClient } from '../server-client.ts';
import { printRun } from './run-command.ts';

export function registerTrigger(program: Command): void {
  withCommonOptions(
    program
      .command('trigger')
      .description('start a run of a DAG: on the running server if there is one, else in this process')
      .argument('<dag>', 'DAG name (see `shoplake dags`)')
      .option('--date <YYYY-MM-DD>', 'logical date of the run (default: today, UTC)')
      .option('--no-wait', 'return once the run is queued (server only)'),
  ).action(async (dag: string, opts: CommonOptions & { date?: string; wait: boolean }) => {
    const config = await configFor(opts);
    const server = await ServerClient.find(config.home);
    let run: DagRunRecord & { summary?: RunSummary };
    if (server) {
      run = await server.post(`/api/dags/${encodeURIComponent(dag)}/runs`, {
        ...(opts.date ? { logicalDate: opts.date } : {}),
        wait: opts.wait,
      });
    } else {
      const orchestrator = await Orchestrator.open(
        orchestratorOptions(config, 'trigger', opts.json ? undefined : progressLine()),
      );
      try {
        const queued = await orchestrator.trigger(dag, { logicalDate: opts.date, runType: 'manual' });
        const done = await orchestrator.waitFor(queued.runId);
        await orchestrator.idle();
        const summary = orchestrator.summaryOf(queued.runId);
        run = { ...done, ...(summary ? { summary } : {}) };
      } finally {
        await orchestrator.close();
      }
    }
    if (opts.json) printJson(run);
    else printRun(run, server?.url);
    process.exitCode = run.state === 'failed' ? EXIT.runFailed : EXIT.ok;
  });
}
