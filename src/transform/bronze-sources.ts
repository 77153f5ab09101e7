import { ENTITIES, ENTITY_NAMES } from '../contract/index.ts';
import { ident, literalList, type DuckSession } from '../duck/index.ts';
import { sourceOf } from './model-registry.ts';

const LINEAGE = ['_line', '_source_file', '_file_seq', '_batch_id', '_ingested_at'];

/**
 * Creates the views `bronze_<entity>` the models read: every bronze file the ledger lists
 * for the entity (never a stray file a crashed run left), unioned by column name, with
 * every canonical column present (NULL where no file delivered it).
 */
export async function createBronzeSources(db: DuckSession, files: Record<string, string[]>): Promise<void> {
  for (const entity of ENTITY_NAMES) {
    const canonical = ENTITIES[entity].columns;
    const list = files[entity] ?? [];
    if (list.length === 0) {
      const cols = [...canonical.map((c) => `NULL::VARCHAR AS ${ident(c)}`), 'NULL::BIGINT AS _line', 'NULL::VARCHAR AS _source_file', 'NULL::BIGINT AS _file_seq', 'NULL::VARCHAR AS _batch_id', 'NULL::TIMESTAMP AS _ingested_at'];
      await db.run(`CREATE OR REPLACE VIEW ${ident(sourceOf(entity))} AS SELECT ${cols.join(', ')} WHERE false`);
      continue;
    }
    // Stream deliveries sit in date folders (`event_date=...`); the date is in the data already.
    const scan = `read_parquet(${literalList(list)}, union_by_name = true, hive_partitioning = false)`;
    const present = new Set((await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${scan}`)).map((c) => c.column_name));
    const cols = [...canonical.map((c) => (present.has(c) ? ident(c) : `NULL::VARCHAR AS ${ident(c)}`)), ...LINEAGE.map(ident)];
    await db.run(`CREATE OR REPLACE VIEW ${ident(sourceOf(entity))} AS SELECT ${cols.join(', ')} FROM ${scan}`);
  }
}
