import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { literal, type DuckSession } from '../../duck/index.ts';
import type { LakeLayout } from '../../lake/index.ts';
import type { StateDb } from '../../state/index.ts';
import { FileLedger } from '../file-ledger.ts';
import { rawLines } from '../formats/format-reader.ts';
import { ingestFile, type FileOutcome } from '../ingest-file.ts';
import { withLedgerLock } from '../ledger-lock.ts';
import { readLandingFile } from '../read-landing-file.ts';
import { catalogued } from '../catalogued.ts';
import { streamLedgerPath, type StreamSpec } from './stream-spec.ts';

export interface SegmentDelivery {
  segment: string;
  /** Records new to bronze; the rest were delivered before (a client's retry, a redelivery after a crash). */
  delivered: number;
  duplicates: number;
  outcome?: FileOutcome;
}

/**
 * One sealed segment into bronze, exactly once: records whose identity was delivered
 * before are dropped (and repeats inside the segment kept once), the rest go through the
 * same path as a landing file (`ingestFile`: header mapping, catalog, bronze Parquet,
 * row rejects) into the ledger of `state`, and then the delivered identities into `db`,
 * the process's own DuckDB (they are checked against each segment's records there; with
 * the state in PostgreSQL the two are different databases). A crash before the ledger
 * row commits leaves the segment to deliver again. One after it but before the
 * identities are kept is recognised by the segment's ledger path: its identities are
 * kept then, and nothing is ingested twice.
 */
export async function deliverSegment(db: DuckSession, state: StateDb, layout: LakeLayout, spec: StreamSpec, segment: string, batchId: string): Promise<SegmentDelivery> {
  return withLedgerLock(state, async () => {
    const name = basename(segment, '.ndjson');
    const req = { path: segment, compression: 'none' as const, textBytes: 0, blankLines: false };
    // A crash mid-append can leave a torn last line: it was never acknowledged, so it is skipped.
    await db.run(
      `CREATE OR REPLACE TEMP TABLE stream_seg AS
       SELECT _line, line, ${spec.identitySql} AS _id
       FROM (SELECT row_number() OVER () AS _line, line FROM ${rawLines(req)}) WHERE json_valid(line)`,
    );
    await db.run(
      `CREATE OR REPLACE TEMP TABLE stream_new AS
       SELECT _line, line, _id FROM stream_seg s
       WHERE NOT EXISTS (SELECT 1 FROM stream_ids d WHERE d.stream = $stream AND d.id = s._id)
       QUALIFY row_number() OVER (PARTITION BY _id ORDER BY _line) = 1`,
      { stream: spec.name },
    );
    const total = Number(await db.scalar('SELECT count(*) FROM stream_seg'));
    const fresh = Number(await db.scalar('SELECT count(*) FROM stream_new'));
    if (fresh === 0) {
      await db.run('DROP TABLE stream_seg; DROP TABLE stream_new');
      return { segment, delivered: 0, duplicates: total };
    }
    const keepIds = () => db.run('INSERT INTO stream_ids SELECT $stream, _id, now()::TIMESTAMP FROM stream_new', { stream: spec.name });
    const ledger = await FileLedger.forAppend(state, layout);
    const rel = streamLedgerPath(spec, name);
    if (await ledger.isRecorded(rel)) {
      await keepIds();
      await db.run('DROP TABLE stream_seg; DROP TABLE stream_new');
      return { segment, delivered: 0, duplicates: total };
    }
    // Not under <home>/tmp, which a build clears while deliveries go on.
    const scratch = join(layout.home, 'stream', '.scratch');
    await mkdir(scratch, { recursive: true });
    const text = join(scratch, `${spec.name}-${name}.ndjson`);
    await db.run(`COPY (SELECT line FROM stream_new ORDER BY _line) TO ${literal(text)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x1f')`);
    const bytes = await readLandingFile(text, scratch);
    try {
      const file = { rel, abs: text, size: (await stat(text)).size, mtimeMs: 0 };
      const ingestedAt = new Date().toISOString();
      const ingested = await ingestFile({ db, layout, batchId, ingestedAt, partitionBy: { column: spec.partition.field, name: spec.partition.name } }, file, bytes, spec.entity, ledger.firstFreeSeq);
      const outcome = await catalogued(state, ingested);
      await ledger.record(outcome, batchId, ingestedAt);
      // A crash between these two is recognised by the next delivery of the segment (above).
      await keepIds();
      return { segment, delivered: fresh, duplicates: total - fresh, outcome };
    } finally {
      await bytes.dispose();
      await rm(text, { force: true });
      await db.run('DROP TABLE IF EXISTS stream_seg; DROP TABLE IF EXISTS stream_new');
    }
  });
}

/**
 * Forgets the identities delivered before `before` (and those kept before identities had
 * a time), so the repeat check of each delivery looks at a bounded window, not at
 * everything ever streamed.
 */
export async function forgetStreamIds(db: DuckSession, before: Date): Promise<void> {
  await db.run('DELETE FROM stream_ids WHERE delivered_at IS NULL OR delivered_at < $before::TIMESTAMP', { before: before.toISOString() });
}
