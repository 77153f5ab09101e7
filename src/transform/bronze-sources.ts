import { ENTITIES, ENTITY_NAMES } from '../contract/index.ts';
import { ident, literalList, type SqlSession } from '../duck/index.ts';
import { sourceOf } from './model-registry.ts';

const LINEAGE = ['_line', '_source_file', '_file_seq', '_batch_id', '_ingested_at'];

/**
 * The table naming each bronze file's landing file and batch by its `_file_seq`. Staging
 * models carry only `_file_seq` and `_line`, and silver models look the names up here:
 * carrying two long strings, the same for every row of a file, through every staged row
 * was a large part of the cost of staging.
 */
const BRONZE_FILES = 'bronze_files';

/** The ledger sequence numbers whose rows a reader wants (a merged file holds others: see compactStreamBronze). */
export interface BronzeSeqRange {
  after?: number;
}

/**
 * Creates the views `bronze_<entity>` the models read: every bronze file the ledger lists
 * for the entity (never a stray file a crashed run left), unioned by column name, with
 * every canonical column present (NULL where no file delivered it); and the table
 * `bronze_files` of their lineage.
 */
export async function createBronzeSources(
  db: SqlSession,
  files: Record<string, string[]>,
  seqs: BronzeSeqRange = {},
): Promise<void> {
  // Merged stream deliveries share a file (and a ledger path), so each file is read once,
  // and a reader wanting only later deliveries keeps rows by their own `_file_seq`. (A view
  // cannot hold a bound parameter; the bound is an integer.)
  const where = seqs.after !== undefined ? ` WHERE _file_seq > ${Math.trunc(seqs.after)}` : '';
  const lineage = [
    'SELECT NULL::BIGINT AS _file_seq, NULL::VARCHAR AS _source_file, NULL::VARCHAR AS _batch_id WHERE false',
  ];
  for (const entity of ENTITY_NAMES) {
    const canonical = ENTITIES[entity].columns;
    const list = [...new Set(files[entity] ?? [])];
    if (list.length === 0) {
      const cols = [
        ...canonical.map((c) => `NULL::VARCHAR AS ${ident(c)}`),
        'NULL::BIGINT AS _line',
        'NULL::VARCHAR AS _source_file',
        'NULL::BIGINT AS _file_seq',
        'NULL::VARCHAR AS _batch_id',
        'NULL::TIMESTAMP AS _ingested_at',
      ];
      await db.run(`CREATE OR REPLACE VIEW ${ident(sourceOf(entity))} AS SELECT ${cols.join(', ')} WHERE false`);
      continue;
    }
    // Stream deliveries sit in date folders (`event_date=...`); the date is in the data already.
    const scan = `read_parquet(${literalList(list)}, union_by_name = true, hive_partitioning = false)`;
    const present = new Set(
      (await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${scan}`)).map((c) => c.column_name),
    );
    const cols = [
      ...canonical.map((c) => (present.has(c) ? ident(c) : `NULL::VARCHAR AS ${ident(c)}`)),
      ...LINEAGE.map(ident),
    ];
    await db.run(`CREATE OR REPLACE VIEW ${ident(sourceOf(entity))} AS SELECT ${cols.join(', ')} FROM ${scan}${where}`);
    lineage.push(`SELECT DISTINCT _file_seq, _source_file, _batch_id FROM ${ident(sourceOf(entity))}`);
  }
  await db.run(`CREATE OR REPLACE TABLE ${BRONZE_FILES} AS ${lineage.join(' UNION ALL ')}`);
}
