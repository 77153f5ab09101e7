import { TerminalError } from '../errors/index.ts';
import type { GraphNode } from './graph.ts';

/**
 * The nodes a selection names, in the order given: each selector a node's name, `+name`
 * with everything it depends on, `name+` with everything that depends on it, or `+name+`
 * with both (dbt's graph operators). An empty selection is every node; a name no node has
 * is refused, naming it.
 */
export function selectNodes<T extends GraphNode>(nodes: readonly T[], selectors: readonly string[]): T[] {
  if (selectors.length === 0) return [...nodes];
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const dependents = new Map<string, string[]>();
  for (const n of nodes) for (const d of n.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), n.name]);
  const chosen = new Set<string>();
  const walk = (name: string, next: (n: string) => readonly string[]) => {
    const queue = [name];
    while (queue.length) {
      const at = queue.pop()!;
      for (const m of next(at)) {
        if (!byName.has(m) || chosen.has(m)) continue;
        chosen.add(m);
        queue.push(m);
      }
    }
  };
  for (const selector of selectors) {
    const m = /^(\+?)([^+]+)(\+?)$/.exec(selector.trim());
    const name = m?.[2];
    if (!m || !name || !byName.has(name)) {
      throw new TerminalError('bad_option', `--select ${selector}: no model is named "${name ?? selector}"`, {
        subject: selector,
        hint: 'give a model name, with + before it for what it reads or after it for what reads it',
      });
    }
    chosen.add(name);
    if (m[1]) walk(name, (n) => byName.get(n)?.dependsOn ?? []);
    if (m[3]) walk(name, (n) => dependents.get(n) ?? []);
  }
  return nodes.filter((n) => chosen.has(n.name));
}
