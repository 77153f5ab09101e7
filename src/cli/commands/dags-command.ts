import type { Command } from 'commander';
import type { ShoplakeConfig } from '../../config/index.ts';
import { LakeLayout } from '../../lake/index.ts';
import { dailyDag } from '../../pipeline/index.ts';
import { loadDagFiles, parseSchedule, type Dag } from '../../dag/index.ts';
import { loadModels } from '../../transform/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { printJson, printTable } from '../output.ts';
import { ServerClient } from '../server-client.ts';

interface DagView {
  name: string;
  description: string;
  schedule: string | null;
  nextRun: string | null;
  consumes: readonly string[];
  maxActiveTasks: number;
  tasks: Array<{ name: string; group: string | null; dependsOn: readonly string[]; trigger: string }>;
}

export function registerDags(program: Command): void {
  withCommonOptions(program.command('dags').description('the DAGs, their tasks, schedules and triggers')).action(
    async (opts: CommonOptions) => {
      const config = await configFor(opts);
      const server = await ServerClient.find(config.home);
      const dags: DagView[] = server ? await server.get<DagView[]>('/api/dags') : await localDags(config);
      if (opts.json) return printJson(dags);
      for (const d of dags) {
        const when = d.schedule
          ? `schedule ${d.schedule} (UTC)${d.nextRun ? `, next ${d.nextRun}` : ''}`
          : d.consumes.length
            ? `when ${d.consumes.join(', ')} refresh`
            : 'on trigger only';
        process.stdout.write(`${d.name}: ${d.description}\n  ${when}; up to ${d.maxActiveTasks} tasks at once\n\n`);
        printTable(
          d.tasks.map((t) => ({
            task: t.name,
            group: t.group ?? '',
            'depends on': t.dependsOn.join(', '),
            ...(t.trigger !== 'all_success' ? { runs: t.trigger } : {}),
          })),
        );
        process.stdout.write('\n');
      }
    },
  );
}

async function localDags(config: ShoplakeConfig): Promise<DagView[]> {
  const schedule = config.orchestrator.dailySchedule;
  const layout = new LakeLayout(config.home);
  const user = await loadDagFiles(config.dags, {
    home: config.home,
    landing: config.landing,
    warehouseDb: layout.warehouseDb,
    layout,
  });
  return [dailyDag(await loadModels(config.models.paths), schedule ? { schedule } : {}) as Dag<unknown>, ...user].map(
    (d) => ({
      name: d.name,
      description: d.description,
      schedule: d.schedule ?? null,
      nextRun: d.schedule ? (parseSchedule(d.schedule).nextRun()?.toISOString() ?? null) : null,
      consumes: d.consumes,
      maxActiveTasks: d.maxActiveTasks,
      tasks: d.order.map((t) => ({
        name: t.name,
        group: t.group ?? null,
        dependsOn: t.dependsOn,
        trigger: t.trigger ?? 'all_success',
      })),
    }),
  );
}
