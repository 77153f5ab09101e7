import type pg from 'pg';
import { ident } from '../../duck/index.ts';
import { settleAll } from '../../errors/index.ts';

/** A foreign-key index a published table is declared to have. */
export interface DeclaredIndex {
  table: string;
  column: string;
}

/**
 * The name of a table's index on one column: the name PostgreSQL gives `CREATE INDEX ON t (c)`
 * itself when it is short, so gold published before indexes were named keeps its indexes;
 * cut to the 63 bytes PostgreSQL keeps of an identifier, so the lookup below finds it.
 */
export function indexName({ table, column }: DeclaredIndex): string {
  const name = `${table}_${column}_idx`;
  const bytes = Buffer.from(name);
  return bytes.length <= 63
    ? name
    : bytes
        .subarray(0, 63)
        .toString('utf8')
        .replace(/\uFFFD+$/, '');
}

/** The declared indexes `schema` does not have yet, for tables it has. */
export async function missingIndexes(
  client: pg.ClientBase,
  schema: string,
  declared: readonly DeclaredIndex[],
): Promise<DeclaredIndex[]> {
  if (declared.length === 0) return [];
  const { rows } = await client.query<{ tablename: string; indexes: string[] }>(
    `SELECT t.tablename, coalesce(array_agg(i.indexname::text) FILTER (WHERE i.indexname IS NOT NULL), '{}') AS indexes
     FROM pg_tables t LEFT JOIN pg_indexes i USING (schemaname, tablename)
     WHERE t.schemaname = $1 AND t.tablename = ANY($2) GROUP BY t.tablename`,
    [schema, [...new Set(declared.map((d) => d.table))]],
  );
  const present = new Map(rows.map((r) => [r.tablename, new Set(r.indexes)]));
  return declared.filter((d) => present.has(d.table) && !present.get(d.table)!.has(indexName(d)));
}

/**
 * Builds indexes on published tables, as many at once as the pool has connections. A
 * plain CREATE INDEX takes a SHARE lock, which readers pass: they query the table while
 * it is indexed, only writers (the next publish) wait. Every build is let finish (or
 * fail) before the first failure is thrown.
 */
export async function buildIndexes(pool: pg.Pool, schema: string, indexes: readonly DeclaredIndex[]): Promise<void> {
  await settleAll(
    indexes.map((d) =>
      pool.query(
        `CREATE INDEX IF NOT EXISTS ${ident(indexName(d))} ON ${ident(schema)}.${ident(d.table)} (${ident(d.column)})`,
      ),
    ),
  );
}
