import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckSession, ident, literal } from '../../src/duck/index.ts';
import { LakeLayout } from '../../src/lake/index.ts';
import type { TruthManifest } from '../../src/generate/truth-manifest.ts';

export async function readTruth(landing: string, drop: number): Promise<TruthManifest> {
  return JSON.parse(await readFile(join(landing, '_truth', `drop-${drop}.json`), 'utf8')) as TruthManifest;
}

/**
 * Every way a home can disagree with the generator's truth: table sizes, every mart's
 * figures, SCD2 versions, quarantine counts per reason, orphans, invalid emails and
 * duplicate deliveries. Returns the disagreements; empty means the pipeline is right.
 */
export async function truthMismatches(home: string, truth: TruthManifest): Promise<string[]> {
  const layout = new LakeLayout(home);
  const db = await DuckSession.open(':memory:');
  const out: string[] = [];
  const expect = (what: string, actual: unknown, expected: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      out.push(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  };
  try {
    await db.run(`ATTACH ${literal(layout.warehouseDb)} AS wh (READ_ONLY)`);
    await db.run(`ATTACH ${literal(layout.stateDb)} AS st (READ_ONLY)`);
    const n = async (sql: string) => Number(await db.scalar(sql));

    expect('fact_orders rows', await n('SELECT count(*) FROM wh.fact_orders'), truth.tables['fact_orders']);
    expect('fact_events rows', await n('SELECT count(*) FROM wh.fact_events'), truth.tables['fact_events']);
    expect(
      'dim_product rows (without unknown)',
      await n('SELECT count(*) FROM wh.dim_product WHERE product_key > 0'),
      truth.tables['dim_product'],
    );
    expect(
      'dim_store rows (without unknown)',
      await n('SELECT count(*) FROM wh.dim_store WHERE store_key > 0'),
      truth.tables['dim_store'],
    );
    expect(
      'dim_customer versions',
      await n('SELECT count(*) FROM wh.dim_customer WHERE customer_key > 0'),
      truth.scd2.versions,
    );
    expect(
      'dim_customer customers',
      await n('SELECT count(DISTINCT customer_id) FROM wh.dim_customer WHERE customer_key > 0'),
      truth.scd2.customers,
    );
    expect(
      'customers with history',
      await n(
        `SELECT count(*)
         FROM (SELECT customer_id FROM wh.dim_customer WHERE customer_key > 0 GROUP BY 1 HAVING count(*) > 1)`,
      ),
      truth.scd2.customersWithHistory,
    );
    expect(
      'customers without exactly one current version',
      await n(
        `SELECT count(*)
         FROM (SELECT customer_id FROM wh.dim_customer GROUP BY 1 HAVING count(*) FILTER (WHERE is_current) <> 1)`,
      ),
      0,
    );

    for (const [mart, t] of Object.entries(truth.marts)) {
      expect(`${mart} rows`, await n(`SELECT count(*) FROM wh.${ident(mart)}`), t.rows);
      for (const [col, sum] of Object.entries(t.sums)) {
        const actual = await n(`SELECT round(sum(${ident(col)})::DOUBLE, 4) FROM wh.${ident(mart)}`);
        if (Math.abs(actual - sum) > 0.01 + Math.abs(sum) * 1e-9)
          out.push(`${mart}.${col} sum: got ${actual}, expected ${sum}`);
      }
      if (t.data) {
        const cols = Object.keys(t.data[0] ?? {});
        const numeric = new Set(Object.keys(t.sums));
        const select = cols
          .map((c) =>
            numeric.has(c) ? `round(${ident(c)}::DOUBLE, 6) AS ${ident(c)}` : `${ident(c)}::VARCHAR AS ${ident(c)}`,
          )
          .join(', ');
        const rows = await db.all(`SELECT ${select} FROM wh.${ident(mart)} ORDER BY ALL`);
        const norm = (r: Record<string, unknown>) =>
          JSON.stringify(cols.map((c) => (numeric.has(c) ? Math.round(Number(r[c]) * 1e4) / 1e4 : r[c])));
        const want = t.data.map(norm).sort();
        const got = rows.map(norm).sort();
        const missing = want.filter((w) => !got.includes(w));
        if (missing.length) out.push(`${mart}: ${missing.length} expected rows differ, e.g. expected ${missing[0]}`);
      }
    }

    const fileReasons = await db.all<{ reason: string; n: number }>(
      `SELECT reason, count(*)::INTEGER AS n FROM st.ingested_files
       WHERE status = 'quarantined' GROUP BY reason ORDER BY reason`,
    );
    expect(
      'quarantined files by reason',
      Object.fromEntries(fileReasons.map((r) => [r.reason, Number(r.n)])),
      sortKeys(truth.quarantine.files),
    );
    const malformed = await n(
      "SELECT coalesce(sum(rows_rejected), 0) FROM st.ingested_files WHERE status = 'ingested'",
    );
    const silver = await db.all<{ reason: string; n: number }>(
      `SELECT reason, count(*)::INTEGER AS n FROM read_parquet(${literal(layout.silverRejects)}) GROUP BY reason`,
    );
    const rows: Record<string, number> = {
      malformed_row: malformed,
      ...Object.fromEntries(silver.map((r) => [r.reason, Number(r.n)])),
    };
    expect('rejected rows by reason', sortKeys(rows), sortKeys(truth.quarantine.rows));
    expect(
      'duplicate deliveries',
      await n("SELECT count(*) FROM st.ingested_files WHERE status = 'duplicate'"),
      truth.duplicateDeliveries,
    );
    expect(
      'orphan lines (customer, product, store)',
      [
        await n('SELECT count(*) FROM wh.fact_orders WHERE customer_key = -1'),
        await n('SELECT count(*) FROM wh.fact_orders WHERE product_key = -1'),
        await n('SELECT count(*) FROM wh.fact_orders WHERE store_key = -1'),
      ],
      [truth.orphans.customer, truth.orphans.product, truth.orphans.store],
    );
    const report = JSON.parse(String(await db.scalar("SELECT value FROM st.kv WHERE key = 'quality_report'"))) as {
      invalidEmails: number;
    };
    expect('invalid emails', report.invalidEmails, truth.invalidEmails);
    return out;
  } finally {
    await db.close();
  }
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
