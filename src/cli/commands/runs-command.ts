import type { Command } from 'commander';
import { TerminalError } from '../../errors/index.ts';
import { type DagRunRecord, type RunState, type TaskInstanceRecord, type TaskLogLine } from '../../dag/index.ts';
import { ServerClient } from '../server-client.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { withRunHistory } from '../open-home.ts';
import { humanMs, printJson, printTable } from '../output.ts';

export function registerRuns(program: Command): void {
  const runs = withCommonOptions(
    program
      .command('runs')
      .description('DAG run history; `runs show ID` for one run with its tasks, attempts, durations and logs')
      .option('--dag <name>', 'only runs of this DAG')
      .option('--status <state>', 'only runs in this state (queued, running, success, failed, skipped)')
      .option('--limit <n>', 'how many runs', (v) => Number(v), 20),
  ).action(async (opts: CommonOptions & { dag?: string; status?: RunState; limit: number }) => {
    const config = await configFor(opts);
    const filter = {
      ...(opts.dag ? { dag: opts.dag } : {}),
      ...(opts.status ? { state: opts.status } : {}),
      limit: opts.limit,
    };
    const query = new URLSearchParams({
      ...(opts.dag ? { dag: opts.dag } : {}),
      ...(opts.status ? { status: opts.status } : {}),
      limit: String(opts.limit),
    });
    const server = await ServerClient.find(config.home);
    const list = server
      ? await server.get<DagRunRecord[]>(`/api/runs?${query}`)
      : await withRunHistory(config, (store) => store.listRuns(filter));
    if (opts.json) return printJson(list);
    printTable(
      list.map((r) => ({
        run: r.runId,
        dag: r.dag,
        'logical date': r.logicalDate,
        type: r.runType,
        state: r.state,
        started: r.startedAt ?? '',
        took: r.startedAt && r.finishedAt ? humanMs(Date.parse(r.finishedAt) - Date.parse(r.startedAt)) : '',
        error: r.error?.message ?? '',
      })),
    );
  });

  withCommonOptions(
    runs.command('show').description('one run: its tasks, attempts, durations and logs').argument('<run-id>'),
  )
    // `runs` declares the same options, so commander hands them to it: read both levels.
    .action(async (runId: string, _opts: CommonOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<CommonOptions>();
      const config = await configFor(opts);
      const server = await ServerClient.find(config.home);
      const detail = server
        ? await server.get<RunDetail>(`/api/runs/${encodeURIComponent(runId)}`)
        : await withRunHistory(config, async (store): Promise<RunDetail> => {
            const run = await store.getRun(runId);
            if (!run)
              throw new TerminalError('run_not_found', `no run "${runId}" in ${config.home}`, {
                subject: runId,
                hint: 'list runs with `shoplake runs`',
              });
            const [tasks, logs] = await Promise.all([store.tasks(runId), store.logs(runId)]);
            return { ...run, tasks, logs };
          });
      if (opts.json) return printJson(detail);
      const run = detail;
      process.stdout.write(
        `${run.runId}  ${run.dag}  ${run.logicalDate}  ${run.runType}  ${run.state.toUpperCase()}` +
          `${run.error ? `\nerror [${run.error.code}]: ${run.error.message}` : ''}\n\n`,
      );
      printTable(
        detail.tasks.map((t) => ({
          task: t.task,
          group: t.group ?? '',
          state: t.state,
          attempts: t.attempt,
          took: t.durationMs === undefined ? '' : humanMs(t.durationMs),
          error: t.error?.message ?? '',
        })),
      );
      if (detail.logs.length) {
        process.stdout.write('\nlogs:\n');
        for (const l of detail.logs) process.stdout.write(`${l.at}  ${l.task}#${l.attempt}  ${l.message}\n`);
      }
    });
}

type RunDetail = DagRunRecord & { tasks: TaskInstanceRecord[]; logs: TaskLogLine[] };
