import type pg from 'pg';
import { ident } from '../../duck/index.ts';
import type { PartitionPrint } from './table-load-plan.ts';

/**
 * What the last publish left in a PostgreSQL schema: each table's
 * columns and key, and the partition fingerprints it recorded.
 */
export interface PublishedState {
  exists: boolean;
  tables: Map<string, { columns: Record<string, string>; key: string[] }>;
  partitions: Map<string, PartitionPrint[]>;
}

export const PARTITIONS_TABLE = '_partitions';

export async function readPublishedState(client: pg.Client, schema: string): Promise<PublishedState> {
  const exists = ((await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount ?? 0) > 0;
  const tables: PublishedState['tables'] = new Map();
  const partitions: PublishedState['partitions'] = new Map();
  if (!exists) return { exists, tables, partitions };
  const cols = await client.query<{ t: string; c: string; type: string; in_key: boolean }>(
    `SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS type,
            coalesce(a.attnum = ANY (i.indkey), false) AS in_key
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
     WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname, a.attnum`,
    [schema],
  );
  for (const r of cols.rows) {
    const t = tables.get(r.t) ?? { columns: {}, key: [] };
    t.columns[r.c] = r.type;
    if (r.in_key) t.key.push(r.c);
    tables.set(r.t, t);
  }
  if (tables.has(PARTITIONS_TABLE)) {
    const prints = await client.query<{ table_name: string; part: string | null; rows: string; fingerprint: string }>(
      `SELECT table_name, part, rows, fingerprint FROM ${ident(schema)}.${PARTITIONS_TABLE}`,
    );
    for (const p of prints.rows)
      partitions.set(p.table_name, [
        ...(partitions.get(p.table_name) ?? []),
        { part: p.part, rows: Number(p.rows), fingerprint: p.fingerprint },
      ]);
  }
  return { exists, tables, partitions };
}
