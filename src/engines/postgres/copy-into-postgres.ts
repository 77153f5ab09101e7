import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { literal, type SqlSession } from '../../duck/index.ts';

/**
 * The rows of a DuckDB query into a PostgreSQL table: DuckDB writes them as CSV to `csv`,
 * and COPY streams the file in (never row inserts). Returns the rows copied.
 */
export async function copyIntoPostgres(
  db: SqlSession,
  client: pg.Client,
  select: string,
  target: string,
  csv: string,
): Promise<number> {
  try {
    await db.run(`COPY (${select}) TO ${literal(csv)} (FORMAT csv, HEADER false)`);
    return await copyCsvFile(client, csv, target);
  } finally {
    await rm(csv, { force: true });
  }
}

/**
 * A CSV file (as DuckDB writes it, without a header) streamed
 * into a PostgreSQL table with COPY; returns the rows copied.
 */
export async function copyCsvFile(client: pg.ClientBase, csv: string, target: string): Promise<number> {
  const copy = client.query(copyFrom(`COPY ${target} FROM STDIN (FORMAT csv)`));
  await pipeline(createReadStream(csv, { highWaterMark: 1 << 20 }), copy);
  return copy.rowCount;
}
