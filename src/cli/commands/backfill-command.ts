import type { Command } from 'commander';
import { TerminalError } from '../../errors/index.ts';
import { Orchestrator, orchestratorOptions } from '../../home/index.ts';
import { type BackfillItem, type DagRunRecord, type Reprocess } from '../../dag/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { EXIT, printJson, printTable } from '../output.ts';
import { ServerClient } from '../server-client.ts';

export function registerBackfill(program: Command): void {
  withCommonOptions(
    program
      .command('backfill')
      .description(
        'run a DAG for every day of a range (its processed partitions rewritten), without extra scheduled runs',
      )
      .argument('<dag>', 'DAG name')
      .requiredOption('--from <YYYY-MM-DD>', 'first day')
      .requiredOption('--to <YYYY-MM-DD>', 'last day (inclusive)')
      .option(
        '--reprocess <which>',
        'days that already ran: none (skip them), failed (run failed ones again) or all',
        'none',
      )
      .option('--no-wait', 'return once the runs are queued (server only)'),
  ).action(
    async (dag: string, opts: CommonOptions & { from: string; to: string; reprocess: string; wait: boolean }) => {
      if (!['none', 'failed', 'all'].includes(opts.reprocess)) {
        throw new TerminalError('bad_option', `--reprocess must be none, failed or all, not "${opts.reprocess}"`, {
          subject: '--reprocess',
        });
      }
      const config = await configFor(opts);
      const range = { from: opts.from, to: opts.to, reprocess: opts.reprocess as Reprocess };
      const server = await ServerClient.find(config.home);
      let items: BackfillItem[];
      let runs: Array<DagRunRecord | undefined> = [];
      if (server) {
        ({ items, runs = [] } = await server.post<{ items: BackfillItem[]; runs?: DagRunRecord[] }>(
          `/api/dags/${encodeURIComponent(dag)}/backfill`,
          { ...range, wait: opts.wait },
        ));
      } else {
        const orchestrator = await Orchestrator.open(orchestratorOptions(config, 'backfill'));
        try {
          items = await orchestrator.backfill(dag, range);
          for (const i of items) if (i.runId) runs.push(await orchestrator.waitFor(i.runId));
          await orchestrator.idle();
        } finally {
          await orchestrator.close();
        }
      }
      const byId = new Map(runs.filter((r): r is DagRunRecord => !!r).map((r) => [r.runId, r]));
      const rows = items.map((i) => ({
        'logical date': i.logicalDate,
        action: i.action,
        run: i.runId ?? i.existing?.runId ?? '',
        state: (i.runId && byId.get(i.runId)?.state) ?? (i.runId ? 'queued' : (i.existing?.state ?? '')),
      }));
      if (opts.json) printJson({ items, runs });
      else printTable(rows);
      process.exitCode = [...byId.values()].some((r) => r.state === 'failed') ? EXIT.runFailed : EXIT.ok;
    },
  );
}
