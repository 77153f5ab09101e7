import type { SqlSession } from '../duck/index.ts';
import type { StateDb } from '../state/index.ts';
import { ledgerTallies } from '../ledger/index.ts';

/**
 * The data-quality report of a build: what was rejected and why, orphans, invalid emails
 * and duplicates. Read from the build database's models, kept with the run.
 */
export interface QualityReport {
  files: { ingested: number; quarantined: Record<string, number>; duplicateDeliveries: number };
  rejectedRows: Record<string, Record<string, number>>;
  orphans: { customer: number; product: number; store: number; ordersWithoutItems: number; itemsWithoutOrder: number };
  invalidEmails: number;
  duplicates: Record<string, { exactDuplicates: number; supersededVersions: number }>;
}

export async function computeQualityReport(db: SqlSession, ledger: StateDb): Promise<QualityReport> {
  const n = async (sql: string, session: StateDb = db) => Number(await session.scalar(sql));
  const tallies = await ledgerTallies(ledger);
  const rejectedRows: QualityReport['rejectedRows'] = {};
  if (Object.keys(tallies.malformedRows).length) rejectedRows['malformed_row'] = { ...tallies.malformedRows };
  for (const r of await db.all<{ reason: string; entity: string; n: number }>(
    'SELECT reason, entity, count(*)::INTEGER AS n FROM silver_rejects GROUP BY ALL ORDER BY ALL',
  )) {
    (rejectedRows[r.reason] ??= {})[r.entity] = Number(r.n);
  }
  const duplicates: QualityReport['duplicates'] = {};
  for (const d of await db.all<{ entity: string; exact: number; superseded: number }>(
    `SELECT entity, exact_duplicates::INTEGER AS exact, superseded_versions::INTEGER AS superseded
     FROM quality_duplicates ORDER BY entity`,
  )) {
    duplicates[d.entity] = { exactDuplicates: Number(d.exact), supersededVersions: Number(d.superseded) };
  }
  return {
    files: {
      ingested: tallies.ingested,
      quarantined: tallies.quarantined,
      duplicateDeliveries: tallies.duplicateDeliveries,
    },
    rejectedRows,
    orphans: {
      customer: await n('SELECT count(*) FROM fact_orders WHERE customer_key = -1'),
      product: await n('SELECT count(*) FROM fact_orders WHERE product_key = -1'),
      store: await n('SELECT count(*) FROM fact_orders WHERE store_key = -1'),
      ordersWithoutItems: await n(
        `SELECT count(*) FROM silver_orders o
         WHERE NOT EXISTS (SELECT 1 FROM silver_order_items i WHERE i.order_id = o.order_id)`,
      ),
      itemsWithoutOrder: await n(
        `SELECT count(*) FROM silver_order_items i
         WHERE NOT EXISTS (SELECT 1 FROM silver_orders o WHERE o.order_id = i.order_id)`,
      ),
    },
    invalidEmails: await n('SELECT count(*) FROM silver_customers WHERE email_invalid'),
    duplicates,
  };
}
