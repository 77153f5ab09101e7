import type { Command } from 'commander';
import { dailyDag } from '../../orchestrate/index.ts';
import { loadModels } from '../../transform/index.ts';
import { printJson, printTable } from '../output.ts';

export function registerDags(program: Command): void {
  program
    .command('dags')
    .description('the DAGs, their tasks and schedules')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const dags = [dailyDag(await loadModels())];
      const result = dags.map((d) => ({
        name: d.name, description: d.description, schedule: d.schedule ?? null, maxActiveTasks: d.maxActiveTasks, retry: d.retry,
        tasks: d.order.map((t) => ({ name: t.name, group: t.group ?? null, dependsOn: t.dependsOn })),
      }));
      if (opts.json) return printJson(result);
      for (const d of result) {
        process.stdout.write(`${d.name}: ${d.description}\n  schedule: ${d.schedule ?? 'on trigger only'}; up to ${d.maxActiveTasks} tasks at once; ${d.retry.maxAttempts} attempts per task\n\n`);
        printTable(d.tasks.map((t) => ({ task: t.name, group: t.group ?? '', 'depends on': t.dependsOn.join(', ') })));
      }
    });
}
