import { DuckSession, ident, literal } from '../../src/duck/index.ts';

/**
 * Differences between two warehouse files, table by table: missing tables and rows in
 * one but not the other (EXCEPT ALL both ways). Empty when they hold the same data.
 */
export async function warehouseDiff(a: string, b: string): Promise<string[]> {
  const db = await DuckSession.open(':memory:');
  try {
    await db.run(`ATTACH ${literal(a)} AS wa (READ_ONLY)`);
    await db.run(`ATTACH ${literal(b)} AS wb (READ_ONLY)`);
    const tables = async (alias: string) =>
      (
        await db.all<{ table_name: string }>(
          `SELECT table_name FROM duckdb_tables()
           WHERE database_name = $db AND table_name <> '_publish_info' ORDER BY 1`,
          { db: alias },
        )
      ).map((r) => r.table_name);
    const ta = await tables('wa');
    const tb = await tables('wb');
    const out: string[] = [];
    for (const t of ta.filter((t) => !tb.includes(t))) out.push(`${t}: only in ${a}`);
    for (const t of tb.filter((t) => !ta.includes(t))) out.push(`${t}: only in ${b}`);
    for (const t of ta.filter((t) => tb.includes(t))) {
      const q = (x: string, y: string) =>
        `SELECT count(*) FROM (SELECT * FROM ${x}.${ident(t)} EXCEPT ALL SELECT * FROM ${y}.${ident(t)})`;
      const onlyA = Number(await db.scalar(q('wa', 'wb')));
      const onlyB = Number(await db.scalar(q('wb', 'wa')));
      if (onlyA || onlyB) out.push(`${t}: ${onlyA} rows only in the first, ${onlyB} only in the second`);
    }
    return out;
  } finally {
    await db.close();
  }
}
