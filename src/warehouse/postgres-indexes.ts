import type pg from 'pg';
import { ident } from '../duck/index.ts';

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
  return bytes.length <= 63 ? name : bytes.subarray(0, 63).toString('utf8').replace(/\uFFFD+$/, '');
}

/** The declared indexes `schema` does not have yet, for tables it has. */
export async function missingIndexes(client: pg.ClientBase, schema: string, declared: readonly DeclaredIndex[]): Promise<DeclaredIndex[]> {
  if (declared.length === 0) return [];
  const { rows } = await client.query<{ tablename: string; indexname: string }>(
    'SELECT tablename, indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = ANY($2)', [schema, [...new Set(declared.map((d) => d.table))]],
  );
  const { rows: tables } = await client.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema]);
  const present = new Set(rows.map((r) => `${r.tablename}\0${r.indexname}`));
  const published = new Set(tables.map((r) => r.tablename));
  return declared.filter((d) => published.has(d.table) && !present.has(`${d.table}\0${indexName(d)}`));
}

/**
 * Builds indexes on published tables, as many at once as the pool has connections. A
 * plain CREATE INDEX takes a SHARE lock, which readers pass: they query the table while
 * it is indexed, only writers (the next publish) wait. Every build is let finish (or
 * fail) before the first failure is thrown.
 */
export async function buildIndexes(pool: pg.Pool, schema: string, indexes: readonly DeclaredIndex[]): Promise<void> {
  const outcomes = await Promise.allSettled(indexes.map((d) =>
    pool.query(`CREATE INDEX IF NOT EXISTS ${ident(indexName(d))} ON ${ident(schema)}.${ident(d.table)} (${ident(d.column)})`)));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
}
