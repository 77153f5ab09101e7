import type { Orchestrator, Scheduler } from '../home/index.ts';

/** The DAGs as the API and the CLI show them: schedule, next fire, triggers and tasks. */
export function describeDags(orchestrator: Orchestrator, scheduler?: Scheduler) {
  const next = new Map((scheduler?.nextRuns() ?? []).map((n) => [n.dag, n.next]));
  return [...orchestrator.dags.values()].map((d) => ({
    name: d.name,
    description: d.description,
    schedule: d.schedule ?? null,
    catchup: d.catchup,
    nextRun: next.get(d.name) ?? null,
    consumes: d.consumes,
    maxActiveTasks: d.maxActiveTasks,
    slaMs: d.slaMs ?? null,
    tasks: d.order.map((t) => ({
      name: t.name,
      group: t.group ?? null,
      dependsOn: t.dependsOn,
      trigger: t.trigger ?? 'all_success',
    })),
  }));
}
