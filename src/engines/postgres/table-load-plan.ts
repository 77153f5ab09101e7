/**
 * One partition of a table as a build or the warehouse has it: its value (as
 * text; null for rows without one), rows and a fingerprint of their content.
 */
export interface PartitionPrint {
  part: string | null;
  rows: number;
  fingerprint: string;
}

/** How one gold table reaches a warehouse that already holds an earlier publish. */
export type TableLoadPlan =
  /** Loaded whole into staging and swapped in: new table, changed columns, or nothing to compare with. */
  | { kind: 'full'; reason: string }
  /** Only these partitions' rows are shipped; `remove` partitions are gone from the build. */
  | { kind: 'partitions'; replace: Array<string | null>; remove: Array<string | null> }
  /** Shipped whole to staging, then merged by key: changed rows updated, new ones inserted, vanished ones deleted. */
  | { kind: 'merge' };

export interface TableLoadInput {
  /** Column name → warehouse type, of the build's table and of the published one (undefined: not published). */
  columns: Record<string, string>;
  published: Record<string, string> | undefined;
  key: readonly string[];
  /**
   * Partitioned tables: the build's partitions, and the ones recorded at the last publish (undefined: none recorded).
   */
  partitions?: { build: readonly PartitionPrint[]; published: readonly PartitionPrint[] | undefined };
}

/**
 * Facts are replaced partition by partition (only those whose fingerprint moved),
 * dimensions and marts merged by key; a table whose shape changed, or that has no key or
 * no recorded partitions to compare with, is loaded whole.
 */
export function planTableLoad(input: TableLoadInput): TableLoadPlan {
  if (!input.published) return { kind: 'full', reason: 'not published yet' };
  if (!sameColumns(input.columns, input.published)) return { kind: 'full', reason: 'its columns changed' };
  if (input.partitions) {
    if (!input.partitions.published) return { kind: 'full', reason: 'no partition fingerprints were recorded' };
    const before = new Map(input.partitions.published.map((p) => [p.part, p]));
    const now = new Set(input.partitions.build.map((p) => p.part));
    const replace = input.partitions.build
      .filter((p) => {
        const old = before.get(p.part);
        return !old || old.rows !== p.rows || old.fingerprint !== p.fingerprint;
      })
      .map((p) => p.part);
    const remove = input.partitions.published.filter((p) => !now.has(p.part)).map((p) => p.part);
    return { kind: 'partitions', replace, remove };
  }
  if (input.key.length === 0) return { kind: 'full', reason: 'it has no key to merge on' };
  return { kind: 'merge' };
}

function sameColumns(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k, i) => Object.keys(b)[i] === k && b[k] === a[k]);
}
