import { readFileSync } from 'node:fs';
import type { DuckSession } from '../duck/index.ts';
import { ident } from '../duck/index.ts';

/**
 * What a correct pipeline must produce after drops 1..upto, computed from the clean
 * records by sql/truth.sql. Marts are kept whole when small, else as a row count and
 * column sums: enough to catch a wrong figure without checking in megabytes.
 */
export interface MartTruth {
  rows: number;
  sums: Record<string, number>;
  data?: Array<Record<string, unknown>>;
}

export interface TruthManifest {
  seed: number;
  scale: number;
  drops: number;
  upto: number;
  tables: Record<string, number>;
  marts: Record<string, MartTruth>;
  scd2: { versions: number; customers: number; customersWithHistory: number };
  quarantine: { files: Record<string, number>; rows: Record<string, number> };
  orphans: { customer: number; product: number; store: number };
  invalidEmails: number;
  duplicateDeliveries: number;
}

const TRUTH_SQL = readFileSync(new URL('./sql/truth.sql', import.meta.url), 'utf8');
const MARTS = [
  'daily_revenue',
  'monthly_revenue',
  'store_sales',
  'category_sales',
  'product_sales',
  'customer_ltv',
  'day_of_week',
  'user_activity_daily',
  'funnel',
];
const FULL_ROWS_UP_TO = 2000;

export interface TruthBase {
  seed: number;
  scale: number;
  drops: number;
  upto: number;
}

export async function computeTruth(
  db: DuckSession,
  base: TruthBase,
  files: { fileRejects: Record<string, number>; malformedRows: number; duplicateDeliveries: number },
): Promise<TruthManifest> {
  await db.run(`SET VARIABLE upto = ${Number(base.upto)}`);
  await db.run(TRUTH_SQL);
  const marts: Record<string, MartTruth> = {};
  for (const mart of MARTS) marts[`mart_${mart}`] = await martTruth(db, `t_mart_${mart}`);

  const n = (sql: string) => db.scalar<number>(sql).then(Number);
  const rowRejects = await db.all<{ reason: string; n: number }>(
    `SELECT reason, count(*)::INTEGER AS n FROM (
       SELECT reason FROM g_bad_orders WHERE drop_no <= getvariable('upto') UNION ALL
       SELECT reason FROM g_bad_items WHERE drop_no <= getvariable('upto') UNION ALL
       SELECT reason FROM g_bad_events WHERE drop_no <= getvariable('upto')) GROUP BY reason ORDER BY reason`,
  );
  const rows: Record<string, number> = Object.fromEntries(rowRejects.map((r) => [r.reason, Number(r.n)]));
  rows['malformed_row'] = (rows['malformed_row'] ?? 0) + files.malformedRows;

  return {
    ...base,
    tables: {
      fact_orders: await n('SELECT count(*) FROM t_lines'),
      fact_events: await n('SELECT count(*) FROM t_events'),
      dim_customer: await n('SELECT count(*) FROM t_customer_versions'),
      dim_product: await n('SELECT count(*) FROM t_products'),
      dim_store: await n('SELECT count(*) FROM g_stores'),
      orders: await n('SELECT count(*) FROM t_orders'),
    },
    marts,
    scd2: {
      versions: await n('SELECT count(*) FROM t_customer_versions'),
      customers: await n('SELECT count(DISTINCT customer_id) FROM t_customer_versions'),
      customersWithHistory: await n(
        'SELECT count(*) FROM (SELECT customer_id FROM t_customer_versions GROUP BY 1 HAVING count(*) > 1)',
      ),
    },
    quarantine: { files: files.fileRejects, rows },
    orphans: {
      customer: await n(
        `SELECT count(*) FROM t_lines
         WHERE customer_id NOT IN (SELECT customer_id FROM g_customer_records WHERE drop_no <= getvariable('upto'))`,
      ),
      product: await n('SELECT count(*) FROM t_lines WHERE product_id NOT IN (SELECT product_id FROM t_products)'),
      store: await n('SELECT count(*) FROM t_lines WHERE store_id NOT IN (SELECT store_id FROM g_stores)'),
    },
    invalidEmails: await n(`SELECT count(*) FROM (
        SELECT email FROM g_customer_records WHERE drop_no <= getvariable('upto')
        QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1)
        WHERE email NOT LIKE '%@%.%'`),
    duplicateDeliveries: files.duplicateDeliveries,
  };
}

async function martTruth(db: DuckSession, view: string): Promise<MartTruth> {
  const cols = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE ${ident(view)}`);
  const numeric = cols.filter((c) => /INT|DECIMAL|DOUBLE|FLOAT|HUGEINT/.test(c.column_type)).map((c) => c.column_name);
  // DECIMAL sums are exact: a parallel DOUBLE sum can differ in its last bits run to run.
  const sumSql = numeric.map((c) => `round(sum(${ident(c)}::DECIMAL(38, 8)), 4)::DOUBLE AS ${ident(c)}`).join(', ');
  const summary = await db.one(`SELECT count(*) AS _rows${sumSql ? ', ' + sumSql : ''} FROM ${ident(view)}`);
  const rows = Number(summary?.['_rows'] ?? 0);
  const sums = Object.fromEntries(numeric.map((c) => [c, Number(summary?.[c] ?? 0)]));
  const truth: MartTruth = { rows, sums };
  if (rows <= FULL_ROWS_UP_TO) {
    const castCols = cols.map((c) =>
      numeric.includes(c.column_name)
        ? `${ident(c.column_name)}::DOUBLE AS ${ident(c.column_name)}`
        : `${ident(c.column_name)}::VARCHAR AS ${ident(c.column_name)}`,
    );
    truth.data = await db.all(`SELECT ${castCols.join(', ')} FROM ${ident(view)} ORDER BY ALL`);
  }
  return truth;
}
