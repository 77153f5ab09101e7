import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DuckSession } from '../../duck/index.ts';
import type { LakeLayout } from '../../lake/index.ts';
import type { StateDb } from '../../state/index.ts';
import { FileLedger, streamLedgerPath, withLedgerLock } from '../../ledger/index.ts';
import { rawLines } from '../formats/format-reader.ts';
import { ingestFile } from '../ingest-file.ts';
import { type FileOutcome } from '../file-outcome.ts';
import { readLandingFile, writtenFileBytes } from '../read-landing-file.ts';
import { catalogued } from '../catalogued.ts';
import type { SegmentShape } from './stream-log.ts';
import { IdentityFilter } from './identity-filter.ts';
import { STREAM_ID_HASH } from './open-stream-db.ts';
import type { StreamSpec } from './stream-spec.ts';

export interface SegmentDelivery {
  stream: StreamSpec['name'];
  segment: string;
  /** Records new to bronze; the rest were delivered before (a client's retry, a redelivery after a crash). */
  delivered: number;
  duplicates: number;
  /** From what this process knew of the segment it wrote, or read line by line (one recovered after a crash). */
  read: 'as_written' | 'line_by_line';
  /**
   * Whether the delivered identities were read (`exact`: the filter
   * found a possible repeat, or had not loaded) or the filter sufficed.
   */
  repeatCheck: 'filter' | 'exact';
  /** How long the delivery took, waiting for the ledger lock included. */
  ms: number;
  outcome?: FileOutcome;
}

/**
 * One sealed segment into bronze, exactly once: records whose identity was delivered
 * before are dropped (and repeats inside the segment kept once), the rest go through the
 * same path as a landing file (`ingestFile`: header mapping, catalog, bronze Parquet,
 * row rejects) into the ledger of `state`, and then the delivered identities into `db`,
 * the stream's own DuckDB (`openStreamDb`; the identities are checked against each
 * segment's records there, and the ledger is another database). A crash before the ledger
 * row commits leaves the segment to deliver again. One after it but before the
 * identities are kept is recognised by the segment's ledger path: its identities are
 * kept then, and nothing is ingested twice.
 */
export async function deliverSegment(
  db: DuckSession,
  state: StateDb,
  layout: LakeLayout,
  spec: StreamSpec,
  segment: string,
  batchId: string,
  shape?: SegmentShape,
): Promise<SegmentDelivery> {
  const started = performance.now();
  return withLedgerLock(state, async () => {
    const name = basename(segment, '.ndjson');
    const req = { path: segment, compression: 'none' as const, textBytes: 0, blankLines: false };
    // Only identities are held here; the records are read from the segment by the bronze
    // write. A crash mid-append can leave a torn last line: it was never acknowledged, so
    // a segment this process did not write whole is read line by line and broken lines skipped.
    await db.run(
      `CREATE OR REPLACE TEMP TABLE stream_seg AS
       SELECT _line, ${STREAM_ID_HASH(spec.identitySql)} AS _id
       FROM ${rawLines(req)} WITH ORDINALITY AS l(line, _line)${shape ? '' : ' WHERE json_valid(line)'}`,
      { stream: spec.name },
    );
    // stream_ids is read only when the filter finds a record that may be a repeat (rarely:
    // a client's retry, a redelivery); otherwise the check costs the segment's size alone.
    const ids = IdentityFilter.of(db);
    const { repeats, read: fingerprints } = await ids.check('stream_seg');
    await db.run(
      `CREATE OR REPLACE TEMP TABLE stream_new AS
       SELECT _line, _id FROM stream_seg s
       ${repeats ? 'WHERE NOT EXISTS (SELECT 1 FROM stream_ids d WHERE d.h = s._id)' : ''}
       QUALIFY row_number() OVER (PARTITION BY _id ORDER BY _line) = 1`,
    );
    const { total, fresh } = (await db.one<{ total: number; fresh: number }>(
      'SELECT (SELECT count(*) FROM stream_seg)::INTEGER AS total, (SELECT count(*) FROM stream_new)::INTEGER AS fresh',
    ))!;
    const done = () => db.run('DROP TABLE IF EXISTS stream_seg; DROP TABLE IF EXISTS stream_new');
    const read = shape ? 'as_written' : 'line_by_line';
    const ended = (delivered: number, outcome?: FileOutcome): SegmentDelivery => ({
      stream: spec.name,
      segment,
      delivered,
      duplicates: total - delivered,
      read,
      repeatCheck: repeats ? 'exact' : 'filter',
      ms: performance.now() - started,
      ...(outcome ? { outcome } : {}),
    });
    if (fresh === 0) {
      await done();
      return ended(0);
    }
    const keepIds = async () => {
      // The segment's fingerprints, read for the check: its new records' and ones kept before.
      await ids.keeping('stream_new', fingerprints);
      await db.run('INSERT INTO stream_ids SELECT _id, now()::TIMESTAMP FROM stream_new');
    };
    const ledger = await FileLedger.forAppend(state, layout);
    const rel = streamLedgerPath(spec.name, name);
    if (await ledger.isRecorded(rel)) {
      await keepIds();
      await done();
      return ended(0);
    }
    // Not under <home>/tmp, which a build clears while deliveries go on.
    const scratch = join(layout.home, 'stream', '.scratch');
    const bytes = shape ? writtenFileBytes(segment, shape) : await readLandingFile(segment, scratch);
    try {
      const file = { rel, abs: segment, size: shape?.bytes ?? (await stat(segment)).size, mtimeMs: 0 };
      const ingestedAt = new Date().toISOString();
      const ingested = await ingestFile(
        { db, layout, batchId, ingestedAt, partitionBy: { column: spec.partition.field, name: spec.partition.name } },
        file,
        bytes,
        spec.entity,
        ledger.firstFreeSeq,
        // Records already delivered, and a record's repeats after its first, stay out of bronze.
        {
          ...(shape ? { knownKeys: shape.keys } : {}),
          ...(fresh < total || !shape ? { onlyLines: 'stream_new' } : {}),
        },
      );
      const outcome = await catalogued(state, ingested);
      await ledger.record(outcome, batchId, ingestedAt);
      // A crash between these two is recognised by the next delivery of the segment (above).
      await keepIds();
      return ended(fresh, outcome);
    } finally {
      await bytes.dispose();
      await done();
    }
  });
}

/**
 * Forgets the identities delivered before `before`, so the repeat check of each delivery
 * looks at a bounded window, not at everything ever streamed.
 */
export async function forgetStreamIds(db: DuckSession, before: Date): Promise<void> {
  await db.run('DELETE FROM stream_ids WHERE delivered_at < $before::TIMESTAMP', { before: before.toISOString() });
  IdentityFilter.of(db).forget(before);
}
