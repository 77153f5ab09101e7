import { createHash } from 'node:crypto';
import type { StateDb } from '../state/index.ts';
import { normalizeHeader, type MappedColumn } from '../contract/index.ts';
import type { InferredType } from './infer-column-types.ts';

export interface CatalogColumn extends MappedColumn {
  type: InferredType;
}

export interface DriftEvent {
  kind: 'added' | 'missing' | 'renamed' | 'type_changed';
  column: string;
  detail: string;
}

export interface SchemaRegistration {
  version: number;
  isNew: boolean;
  drift: DriftEvent[];
}

/**
 * Records a file's discovered schema against its entity. A schema seen before (same
 * source headers, mapping and types) reuses its version; a new one becomes the next
 * version, with drift events against the latest version: columns added or missing,
 * renamed (same canonical column under another header) or changed in type.
 */
export async function registerSchema(
  db: StateDb,
  entity: string,
  file: string,
  columns: CatalogColumn[],
): Promise<SchemaRegistration> {
  // Empty columns say nothing about type: they match any.
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(columns.map((c) => [c.source, c.target])))
    .update(JSON.stringify(columns.map((c) => (c.type === 'empty' ? '' : c.type))))
    .digest('hex')
    .slice(0, 16);
  const existing = await db.one<{ version: number }>(
    'SELECT version FROM schema_versions WHERE entity = $entity AND fingerprint = $fingerprint',
    { entity, fingerprint },
  );
  if (existing) return { version: Number(existing.version), isNew: false, drift: [] };

  const latest = await db.one<{ version: number; columns: string }>(
    `SELECT version, columns::VARCHAR AS columns FROM schema_versions
     WHERE entity = $entity ORDER BY version DESC LIMIT 1`,
    { entity },
  );
  const version = latest ? Number(latest.version) + 1 : 1;
  const drift = latest ? diffSchemas(JSON.parse(latest.columns) as CatalogColumn[], columns) : [];
  await db.run('INSERT INTO schema_versions VALUES ($entity, $version, $fingerprint, $columns::JSON, $file, now())', {
    entity,
    version,
    fingerprint,
    columns: JSON.stringify(columns),
    file,
  });
  for (const d of drift) {
    await db.run('INSERT INTO drift_events VALUES ($entity, $version, $kind, $column, $detail, $file, now())', {
      entity,
      version,
      kind: d.kind,
      column: d.column,
      detail: d.detail,
      file,
    });
  }
  return { version, isNew: true, drift };
}

export function diffSchemas(before: readonly CatalogColumn[], after: readonly CatalogColumn[]): DriftEvent[] {
  const prev = new Map(before.map((c) => [c.target, c]));
  const next = new Map(after.map((c) => [c.target, c]));
  const events: DriftEvent[] = [];
  for (const [target, c] of next) {
    const p = prev.get(target);
    if (!p) events.push({ kind: 'added', column: target, detail: `new column "${c.source}"` });
    else {
      // Case and spacing are not a rename: `Email` and `email` are one header.
      if (normalizeHeader(p.source) !== normalizeHeader(c.source))
        events.push({ kind: 'renamed', column: target, detail: `"${p.source}" is now "${c.source}" (${c.match})` });
      if (p.type !== c.type && p.type !== 'empty' && c.type !== 'empty')
        events.push({ kind: 'type_changed', column: target, detail: `${p.type} -> ${c.type}` });
    }
  }
  for (const [target, p] of prev) {
    if (!next.has(target))
      events.push({ kind: 'missing', column: target, detail: `"${p.source}" no longer delivered` });
  }
  return events;
}

/** Forgets every schema version and drift event (a full refresh registers them again from the files). */
export async function forgetSchemas(state: StateDb): Promise<void> {
  for (const table of ['schema_versions', 'drift_events']) await state.run(`DELETE FROM ${table}`);
}
