import type { Dag } from './dag-definition.ts';

/**
 * The DAGs a run's refreshed datasets start (data-aware triggers), each with the datasets
 * that matched: a DAG consumes a dataset by its name or by a `prefix.*` pattern; a DAG
 * never triggers itself.
 */
export function datasetConsumers(
  dags: Iterable<Dag<unknown>>,
  upstreamDag: string,
  datasets: readonly string[],
): Array<{ dag: string; datasets: string[] }> {
  const out: Array<{ dag: string; datasets: string[] }> = [];
  for (const dag of dags) {
    if (dag.name === upstreamDag) continue;
    const hit = datasets.filter((d) =>
      dag.consumes.some((c) => c === d || (c.endsWith('.*') && d.startsWith(c.slice(0, -1)))),
    );
    if (hit.length) out.push({ dag: dag.name, datasets: hit });
  }
  return out;
}
