import { ident, type SqlSession } from '../../duck/index.ts';
import type { PartitionPrint } from './table-load-plan.ts';

/**
 * Each partition of a build table with its row count and a fingerprint of its rows: the
 * XOR and the sum of every row's hash, so neither row order nor the way the build wrote
 * the table moves it, and any changed, added or dropped row does.
 */
export async function partitionPrints(db: SqlSession, table: string, column: string): Promise<PartitionPrint[]> {
  const rows = await db.all<{ part: string | null; rows: number | string; fingerprint: string }>(
    `SELECT ${ident(column)}::VARCHAR AS part, count(*) AS rows,
     bit_xor(hash(t))::VARCHAR || '-' || sum(hash(t)::HUGEINT)::VARCHAR AS fingerprint
     FROM ${ident(table)} t GROUP BY ALL ORDER BY part`,
  );
  return rows.map((r) => ({ part: r.part, rows: Number(r.rows), fingerprint: r.fingerprint }));
}
