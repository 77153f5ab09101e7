import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckSession, literal, literalList } from '../src/duck/index.ts';
import { compactStreamBronze, openStreamDb, StreamIngestor } from '../src/ingest/index.ts';
import { LakeLayout, S3Lake } from '../src/lake/index.ts';
import { openStateStore } from '../src/engines/duckdb/index.ts';
import { PostgresStateDb } from '../src/engines/postgres/index.ts';
import { type StateDb } from '../src/state/index.ts';
import { createBronzeSources } from '../src/transform/index.ts';
import { filesUnder } from './helpers/files-under.ts';
import { postgresAvailable, tempStateUrl } from './helpers/postgres.ts';
import { startS3rver } from './helpers/s3rver.ts';
import { tempDir } from './helpers/temp-dir.ts';

const TWO_HOURS = 2 * 3_600_000;

const event = (i: number) => ({
  event_id: `e-${i}`,
  event_ts: `2024-06-0${1 + (i % 2)}T10:${String(i % 60).padStart(2, '0')}:00Z`,
  session_id: `S-${i % 7}`,
  customer_id: 'C000001',
  event_type: 'page_view',
  ...(i % 5 === 0 ? { device: 'mobile' } : {}),
  ...(i % 11 === 0 ? { price: 12.5 } : {}),
});
const order = (i: number, status: string) => ({
  order_id: `O-${i}`,
  order_ts: '2024-06-01T09:00:00Z',
  customer_id: 'C000001',
  status,
  total: i,
});

/** Stream deliveries, a flush each: events over two days (keys appearing late), orders sent again with a new status. */
async function deliver(ingestor: StreamIngestor, from: number, flushes: number): Promise<void> {
  for (let f = from; f < from + flushes; f++) {
    await ingestor.accept(
      'events',
      Array.from({ length: 5 }, (_, k) => event(f * 5 + k)),
    );
    await ingestor.accept('orders', [order(f, 'placed'), order(f - 1, 'shipped')]);
    await ingestor.flush();
  }
}

/** Every bronze row the ledger points at, each file read once. */
async function bronzeRows(db: DuckSession, state: StateDb, layout: LakeLayout, entity: string): Promise<string> {
  const paths = await state.all<{ p: string }>(
    "SELECT DISTINCT bronze_path AS p FROM ingested_files WHERE entity = $entity AND status = 'ingested'",
    { entity },
  );
  return `SELECT *
          FROM read_parquet(${literalList(paths.map((r) => layout.resolve(r.p)))},
          union_by_name = true, hive_partitioning = false)`;
}

async function compactsHours(
  t: TestContext,
  state: StateDb,
  work: DuckSession,
  layout: LakeLayout,
  s3?: S3Lake,
): Promise<void> {
  const streamDb = await openStreamDb(layout, work);
  t.after(() => streamDb.close());
  const ingestor = new StreamIngestor(
    streamDb,
    state,
    layout,
    { flushIntervalMs: 3_600_000, flushBytes: 1 << 30, maxBufferBytes: 1 << 30 },
    () => 'b1',
  );
  const db = await DuckSession.open(':memory:');
  t.after(() => db.close());
  await ingestor.start();
  // The flush start() kicks off must be over, or the first records would ride on the second.
  await ingestor.flush();
  try {
    await deliver(ingestor, 1, 12);
    const eventsDir = join(layout.bronze, 'events', 'stream');
    assert.equal((await filesUnder(eventsDir)).length, 24, 'twelve deliveries, each a file per day');
    const snapshot = async (entity: string) =>
      db.all(`${await bronzeRows(db, state, layout, entity)} ORDER BY _file_seq, _line`);
    const before = { events: await snapshot('events'), orders: await snapshot('orders') };
    if (s3) assert.deepEqual(await s3.publishBronze(layout), { uploaded: 36, removed: 0 });

    assert.deepEqual(await compactStreamBronze(db, state, layout), [], 'the hour is not over: nothing is merged');
    const hours = await compactStreamBronze(db, state, layout, { now: new Date(Date.now() + TWO_HOURS) });
    assert.deepEqual(
      hours.map((h) => [h.stream, h.status, h.deliveries, h.merged, h.rows]),
      [
        ['events', 'compacted', 12, 12, 60],
        ['orders', 'compacted', 12, 12, 24],
      ],
    );
    assert.deepEqual(
      (await filesUnder(eventsDir)).map((f) => f.replace(/c\d+-\d+/, 'c')),
      ['event_date=2024-06-01/c.parquet', 'event_date=2024-06-02/c.parquet'],
      'one file per day is left',
    );
    assert.deepEqual(
      { events: await snapshot('events'), orders: await snapshot('orders') },
      before,
      'the merged files hold the same rows, lineage included',
    );
    const paths = await state.all<{ p: string }>(
      "SELECT DISTINCT bronze_path AS p FROM ingested_files WHERE path LIKE 'stream/events/%'",
    );
    assert.deepEqual(
      paths.map((p) => p.p),
      [hours[0]!.bronzePath],
      'every delivery of the hour points at the merge',
    );
    if (s3)
      assert.deepEqual(
        await s3.publishBronze(layout),
        { uploaded: 3, removed: 36 },
        'the bucket holds what the lake holds',
      );

    // A reader of later deliveries only (the live overlay) keeps its rows by _file_seq.
    const seqs = (
      await state.all<{ seq: number }>("SELECT seq FROM ingested_files WHERE path LIKE 'stream/events/%' ORDER BY seq")
    ).map((r) => Number(r.seq));
    await createBronzeSources(
      db,
      { events: [layout.resolve(paths[0]!.p), layout.resolve(paths[0]!.p)] },
      { after: seqs[8]! },
    );
    assert.equal(
      Number(await db.scalar('SELECT count(*) FROM bronze_events')),
      15,
      'the last three deliveries, each row once',
    );

    // A late delivery of the merged hour: the hour is merged again, with the earlier merge.
    await deliver(ingestor, 13, 2);
    const late = await compactStreamBronze(db, state, layout, { now: new Date(Date.now() + TWO_HOURS) });
    assert.deepEqual(
      late.map((h) => [h.stream, h.deliveries, h.merged, h.rows]),
      [
        ['events', 14, 3, 70],
        ['orders', 14, 3, 28],
      ],
    );
    assert.equal((await filesUnder(eventsDir)).length, 2);
    assert.equal((await snapshot('events')).length, 70);

    // Left by crashes: a merge never switched in, a merged-away delivery file; and a file of a
    // delivery whose ledger row is yet to commit (its sequence number not handed out), kept.
    const firstFree = Number(await state.scalar('SELECT max(seq) + 1 FROM ingested_files'));
    const day = join(eventsDir, 'event_date=2024-06-01');
    const strays = ['c00000001-00000002.parquet', `${String(seqs[0]).padStart(8, '0')}-0123456789abcdef.parquet`];
    const pending = `${String(firstFree).padStart(8, '0')}-0123456789abcdef.parquet`;
    for (const f of [...strays, pending]) await writeFile(join(day, f), 'x');
    assert.deepEqual(await compactStreamBronze(db, state, layout, { now: new Date(Date.now() + TWO_HOURS) }), []);
    const left = await filesUnder(eventsDir);
    assert.ok(
      strays.every((f) => !left.includes(`event_date=2024-06-01/${f}`)),
      'unreferenced files are swept',
    );
    assert.ok(left.includes(`event_date=2024-06-01/${pending}`), 'a delivery in flight keeps its file');
    assert.equal(
      Number(await db.scalar(`SELECT count(*) FROM read_parquet(${literal(join(eventsDir, '*', 'c*.parquet'))})`)),
      70,
    );
  } finally {
    await ingestor.stop();
  }
}

test(
  'stream compaction: a closed hour of deliveries is merged into a ' +
    'file per day that reads as the small ones did, in the S3 lake too',
  async (t) => {
    const layout = new LakeLayout(join(await tempDir('compact'), 'home'));
    const db = await openStateStore(layout.stateDb);
    t.after(() => db.close());
    const s3 = await startS3rver(['lake']);
    await compactsHours(t, db, db, layout, S3Lake.of('s3://lake/shop/', s3.options));
  },
);

test('stream compaction: the same with the ledger in PostgreSQL', async (t) => {
  if (!(await postgresAvailable(t))) return;
  const layout = new LakeLayout(join(await tempDir('compact-pg'), 'home'));
  const work = await openStateStore(layout.stateDb);
  const state = await PostgresStateDb.connect(tempStateUrl(t, 'compact'));
  t.after(async () => {
    await state.close();
    await work.close();
  });
  await compactsHours(t, state, work, layout);
});
