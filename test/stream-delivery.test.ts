import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckSession, literal } from '../src/duck/index.ts';
import { openStreamDb, STREAMS, StreamIngestor, type SegmentDelivery } from '../src/ingest/index.ts';
import { deliverSegment } from '../src/ingest/stream/deliver-segment.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { openStateStore } from '../src/engines/duckdb/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

const ev = (id: string, extra: Record<string, unknown> = {}) => ({
  event_id: id,
  event_ts: '2024-06-01T10:00:00Z',
  session_id: 'S-1',
  customer_id: 'C000001',
  event_type: 'page_view',
  ...extra,
});

// Keys only later records carry, an integer-like key (Object.keys puts it first), nested
// and numeric values, a repeat inside the batch and one of an earlier delivery.
const RECORDS = [
  ev('e-1'),
  ev('e-0'),
  ev('e-2', { device: 'mobile', 7: 'seven' }),
  ev('e-1', { device: 'desktop' }),
  ev(' e-3 ', { product_id: 12345678901234, meta: { a: [1, 2] } }),
  ev('e-4', { referrer: 'ads', device: null }),
  ev('e-2'),
];

async function home(root: string, name: string) {
  const layout = new LakeLayout(join(root, name));
  const state = await openStateStore(layout.stateDb);
  const db = await openStreamDb(layout, state);
  const first = join(root, `${name}-first.ndjson`);
  await writeFile(first, `${JSON.stringify(ev('e-0'))}\n`);
  await deliverSegment(db, state, layout, STREAMS.events, first, 'b0');
  return {
    layout,
    db,
    state,
    close: async () => {
      await db.close();
      await state.close();
    },
  };
}

const bronze = (layout: LakeLayout) =>
  `SELECT * EXCLUDE (_ingested_at, _source_file, _batch_id, _file_seq)
   FROM read_parquet(${literal(join(layout.lake, 'bronze', 'events', '**', '*.parquet'))},
   union_by_name = true, hive_partitioning = false)
   WHERE _file_seq > 1`;

test(
  'a segment this process wrote is delivered from what it knows of it, ' + 'exactly as one read line by line',
  async () => {
    const root = await tempDir('stream-delivery');
    const a = await home(root, 'known');
    const b = await home(root, 'read');
    const delivered: SegmentDelivery[] = [];
    const ingestor = new StreamIngestor(
      a.db,
      a.state,
      a.layout,
      {
        flushIntervalMs: 3_600_000,
        flushBytes: 1 << 30,
        maxBufferBytes: 1 << 30,
        onDelivered: (d) => delivered.push(...d),
      },
      () => 'b1',
    );
    try {
      await ingestor.start();
      assert.equal((await ingestor.accept('events', RECORDS)).accepted, RECORDS.length);
      // Stopping delivers what is buffered.
      await ingestor.stop();
      const [known] = delivered;
      assert.deepEqual(
        [known?.delivered, known?.duplicates, known?.read],
        [4, 3, 'as_written'],
        'e-0 was delivered before; e-1 and e-2 repeat in the batch',
      );
      const text = RECORDS.map((r) => `${JSON.stringify(r)}\n`).join('');
      assert.deepEqual(
        [known?.outcome?.hash, known?.outcome?.file.size],
        [createHash('sha256').update(text).digest('hex'), Buffer.byteLength(text)],
        "the hash and size taken while writing are the file's",
      );

      // The same lines as a segment left by a crash (no shape), with a torn last line that was never acknowledged.
      const segment = join(root, 'seg-00000000000002-000001.ndjson');
      await writeFile(segment, RECORDS.map((r) => `${JSON.stringify(r)}\n`).join(''));
      await appendFile(segment, '{"event_id":"e-9","ev');
      const read = await deliverSegment(b.db, b.state, b.layout, STREAMS.events, segment, 'b1');
      assert.deepEqual([read.delivered, read.duplicates, read.read], [4, 3, 'line_by_line']);
      assert.equal(read.outcome?.rowsRejected, 0, 'the torn line is skipped, not rejected');
      assert.deepEqual(
        known?.outcome?.columns?.map((c) => c.source),
        [
          'event_id',
          'event_ts',
          'session_id',
          'customer_id',
          'event_type',
          '7',
          'device',
          'product_id',
          'meta',
          'referrer',
        ],
      );
      assert.deepEqual(
        read.outcome?.columns?.map((c) => c.source).sort(),
        known?.outcome?.columns?.map((c) => c.source).sort(),
      );

      const db = await DuckSession.open(':memory:');
      try {
        const rows = await db.all<{ event_id: string; device: string | null; _line: number }>(
          `${bronze(a.layout)} ORDER BY _line`,
        );
        assert.deepEqual(
          rows.map((r) => [r.event_id, r.device, Number(r._line)]),
          [
            ['e-1', null, 1],
            ['e-2', 'mobile', 3],
            [' e-3 ', null, 5],
            ['e-4', null, 6],
          ],
          'the first of each repeat, with its segment line',
        );
        const diff = await db.scalar(
          `SELECT count(*)
           FROM ((${bronze(a.layout)} EXCEPT ALL ${bronze(b.layout)})
           UNION ALL (${bronze(b.layout)} EXCEPT ALL ${bronze(a.layout)}))`,
        );
        assert.equal(Number(diff), 0, 'both paths put the same rows in bronze');
      } finally {
        await db.close();
      }
    } finally {
      await a.close();
      await b.close();
    }
  },
);
