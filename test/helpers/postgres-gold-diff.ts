import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DuckSession, ident, literal } from '../../src/duck/index.ts';

/**
 * Differences between the DuckDB warehouse and the same tables in a PostgreSQL schema:
 * each PostgreSQL table is exported with COPY TO (CSV), read back by DuckDB with the
 * DuckDB table's own column types, and compared with EXCEPT ALL both ways.
 */
export async function postgresGoldDiff(warehouseDb: string, url: string, schema: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'pg-diff-'));
  const db = await DuckSession.open(':memory:');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await db.run(`ATTACH ${literal(warehouseDb)} AS wh (READ_ONLY)`);
    const tables = (
      await db.all<{ t: string }>(
        `SELECT table_name AS t FROM duckdb_tables()
         WHERE database_name = 'wh' AND table_name <> '_publish_info' ORDER BY 1`,
      )
    ).map((r) => r.t);
    const inPg = new Set(
      (
        await client.query<{ t: string }>(
          'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1',
          [schema],
        )
      ).rows.map((r) => r.t),
    );
    const out: string[] = [];
    for (const t of tables) {
      if (!inPg.has(t)) {
        out.push(`${t}: missing in PostgreSQL`);
        continue;
      }
      const csv = join(dir, `${t}.csv`);
      await pipeline(
        client.query(copyTo(`COPY ${ident(schema)}.${ident(t)} TO STDOUT (FORMAT csv)`)),
        createWriteStream(csv),
      );
      const cols = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE wh.main.${ident(t)}`);
      const types = `{${cols.map((c) => `${literal(c.column_name)}: ${literal(c.column_type)}`).join(', ')}}`;
      const pgRows = `read_csv(${literal(csv)}, header = false, columns = ${types},
                               nullstr = '', quote = '"', escape = '"')`;
      const only = async (a: string, b: string) =>
        Number(await db.scalar(`SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})`));
      const onlyDuck = await only(`wh.main.${ident(t)}`, pgRows);
      const onlyPg = await only(pgRows, `wh.main.${ident(t)}`);
      if (onlyDuck || onlyPg) out.push(`${t}: ${onlyDuck} rows only in DuckDB, ${onlyPg} only in PostgreSQL`);
    }
    return out;
  } finally {
    await client.end();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
