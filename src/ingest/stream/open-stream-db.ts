import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckSession, literal } from '../../duck/index.ts';
import type { LakeLayout } from '../../lake/index.ts';

/**
 * A record's identity as kept for the repeat check: the 128-bit md5 of its stream and
 * identity (SQL over `$stream` and the identity expression). Fixed-width numbers make the
 * check, which reads every identity of the window per delivery, far cheaper than the
 * strings. A new record wrongly taken for a repeat would take, at 20,000 records/s
 * against a window of 72 M identities, some 10^18 years.
 */
export const STREAM_ID_HASH = (identity: string): string => `md5_number($stream || chr(0) || (${identity}))`;

/**
 * The real-time path's own DuckDB (`<home>/stream/stream.duckdb`): the identities of
 * delivered records, and the connection each delivery works on. One thread: a delivery's
 * statements run over a few thousand rows, where DuckDB's parallel operators cost more
 * than they give, and a second thread competes with the event loop the collector's
 * acknowledgements wait on.
 *
 * Identities were kept in the home's state.duckdb before, as text; those of a home served
 * by an earlier version are moved here on open (copied, then removed there: a crash in
 * between leaves them in both, which only repeats a check).
 */
export async function openStreamDb(layout: LakeLayout, work: DuckSession): Promise<DuckSession> {
  const dir = join(layout.home, 'stream');
  await mkdir(dir, { recursive: true });
  const db = await DuckSession.open(join(dir, 'stream.duckdb'), { threads: 1 });
  await db.run(`CREATE TABLE IF NOT EXISTS stream_ids (
     h UHUGEINT NOT NULL,              -- STREAM_ID_HASH of a delivered record
     delivered_at TIMESTAMP NOT NULL   -- identities older than collector.dedupWindowMinutes are forgotten
   )`);
  if (Number(await work.scalar('SELECT count(*) FROM stream_ids')) > 0) {
    // Through a file: the two databases belong to different instances of this process.
    const moving = join(dir, '.ids-moving.parquet');
    await work.run(
      `COPY (SELECT stream, id, coalesce(delivered_at, now()::TIMESTAMP) AS delivered_at FROM stream_ids)
       TO ${literal(moving)} (FORMAT parquet)`,
    );
    await db.run(
      `INSERT INTO stream_ids SELECT md5_number(stream || chr(0) || id), delivered_at
       FROM read_parquet(${literal(moving)})`,
    );
    await work.run('DELETE FROM stream_ids');
    await rm(moving, { force: true });
  }
  return db;
}
