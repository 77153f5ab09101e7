import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckSession, literal } from '../../duck/index.ts';
import type { LakeLayout } from '../../lake/index.ts';

/**
 * The real-time path's own DuckDB (`<home>/stream/stream.duckdb`): the identities of
 * delivered records, and the connection each delivery works on. One thread: a delivery's
 * statements run over a few thousand rows, where DuckDB's parallel operators cost more
 * than they give, and a second thread competes with the event loop the collector's
 * acknowledgements wait on (at 20,000 events/s on 2 cores: ack p99 and freshness both
 * worse with two threads, in alternating runs of bench:collector).
 *
 * Identities were kept in the home's state.duckdb before; those of a home served by an
 * earlier version are moved here on open (copied, then removed there: a crash in between
 * leaves them in both, which only repeats a check).
 */
export async function openStreamDb(layout: LakeLayout, work: DuckSession): Promise<DuckSession> {
  const dir = join(layout.home, 'stream');
  await mkdir(dir, { recursive: true });
  const db = await DuckSession.open(join(dir, 'stream.duckdb'), { threads: 1 });
  await db.run(`CREATE TABLE IF NOT EXISTS stream_ids (
     stream VARCHAR NOT NULL,          -- events | orders
     id VARCHAR NOT NULL,              -- a record's identity: event_id, or an order record's content hash
     delivered_at TIMESTAMP            -- identities older than collector.dedupWindowMinutes are forgotten
   )`);
  if (Number(await work.scalar('SELECT count(*) FROM stream_ids')) > 0) {
    // Through a file: the two databases belong to different instances of this process.
    const moving = join(dir, '.ids-moving.parquet');
    await work.run(`COPY stream_ids TO ${literal(moving)} (FORMAT parquet)`);
    await db.run(`INSERT INTO stream_ids SELECT stream, id, delivered_at FROM read_parquet(${literal(moving)})`);
    await work.run('DELETE FROM stream_ids');
    await rm(moving, { force: true });
  }
  return db;
}
