import { TerminalError } from '../errors/index.ts';

/**
 * A dependency graph of named nodes. It knows nothing of what the nodes are (models,
 * tasks): only names and edges. Unknown dependencies and cycles are rejected with the
 * path named.
 */
export interface GraphNode {
  name: string;
  dependsOn: readonly string[];
}

export function topologicalOrder<T extends GraphNode>(
  nodes: readonly T[],
  external: ReadonlySet<string> = new Set(),
): T[] {
  const byName = new Map<string, T>();
  for (const n of nodes) {
    if (byName.has(n.name))
      throw new TerminalError('graph_duplicate_node', `two nodes are named "${n.name}"`, {
        subject: n.name,
        hint: 'give every node a unique name',
      });
    byName.set(n.name, n);
  }
  for (const n of nodes) {
    for (const d of n.dependsOn) {
      if (!byName.has(d) && !external.has(d)) {
        throw new TerminalError('graph_unknown_dependency', `"${n.name}" depends on "${d}", which does not exist`, {
          subject: n.name,
          hint: `declare "${d}" or remove it from dependsOn`,
        });
      }
    }
  }
  const order: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: T, path: string[]): void => {
    const s = state.get(n.name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(n.name)), n.name];
      throw new TerminalError('graph_cycle', `dependency cycle: ${cycle.join(' -> ')}`, {
        subject: n.name,
        hint: 'break the cycle in the declarations',
      });
    }
    state.set(n.name, 'visiting');
    // Sorted so the order is the same on every machine.
    for (const d of [...n.dependsOn].sort()) {
      const dep = byName.get(d);
      if (dep) visit(dep, [...path, n.name]);
    }
    state.set(n.name, 'done');
    order.push(n);
  };
  for (const n of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) visit(n, []);
  return order;
}
