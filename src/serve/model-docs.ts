import { COLUMN_GLOSSARY, type Model } from '../transform/index.ts';
import type { WarehouseReader } from '../warehouse/index.ts';

/**
 * The data dictionary, generated from the model declarations: every published table's
 * grain, key, description, columns (types from the warehouse, notes from the
 * declaration), data tests, and lineage both ways; relationships give the ER diagram.
 */
export async function modelDocs(models: readonly Model[], warehouse: WarehouseReader) {
  const types = await warehouse.columns().catch(() => []);
  const downstream = new Map<string, string[]>();
  for (const m of models) for (const d of m.dependsOn) downstream.set(d, [...(downstream.get(d) ?? []), m.name]);
  const tables = models.map((m) => ({
    name: m.name,
    layer: m.layer,
    published: m.publish === true,
    description: m.description,
    grain: m.grain,
    key: m.key,
    upstream: m.dependsOn,
    downstream: downstream.get(m.name) ?? [],
    columns: types
      .filter((t) => t.table_name === m.name)
      .map((t) => ({
        name: t.column_name,
        type: t.data_type,
        description: m.columns?.[t.column_name] ?? COLUMN_GLOSSARY[t.column_name] ?? '',
      })),
    tests: (m.tests ?? []).map((t) => ({
      kind: t.kind,
      severity: t.severity ?? 'error',
      on: 'column' in t ? t.column : 'columns' in t ? t.columns.join(', ') : t.name,
      ...(t.kind === 'relationship' ? { references: `${t.to}.${t.field}` } : {}),
    })),
  }));
  const relationships = models.flatMap((m) =>
    (m.tests ?? []).flatMap((t) =>
      t.kind === 'relationship' ? [{ from: m.name, column: t.column, to: t.to, field: t.field }] : [],
    ),
  );
  return { tables, relationships };
}
