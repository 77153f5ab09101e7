import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStreamDb, STREAMS } from '../src/ingest/index.ts';
import { deliverSegment, forgetStreamIds } from '../src/ingest/stream/deliver-segment.ts';
import { IdentityFilter } from '../src/ingest/stream/identity-filter.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { openStateStore } from '../src/engines/duckdb/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

test(
  'stream repeats are dropped within the dedup window; ' +
    'identities past it are forgotten, so the check stays bounded',
  async () => {
    const root = await tempDir('dedup-window');
    const layout = new LakeLayout(join(root, 'home'));
    const state = await openStateStore(layout.stateDb);
    const db = await openStreamDb(layout, state);
    const segment = async (name: string, ids: number[]) => {
      const path = join(root, `${name}.ndjson`);
      await writeFile(
        path,
        ids
          .map((i) =>
            JSON.stringify({
              event_id: `e-${i}`,
              event_ts: '2024-06-01T10:00:00Z',
              session_id: 'S-1',
              customer_id: 'C000001',
              event_type: 'page_view',
            }),
          )
          .join('\n') + '\n',
      );
      return path;
    };
    try {
      const first = await deliverSegment(
        db,
        state,
        layout,
        STREAMS.events,
        await segment('seg-00000000000001-000001', [1, 2, 3]),
        'b1',
      );
      assert.deepEqual([first.delivered, first.duplicates], [3, 0]);
      assert.equal(
        await db.scalar('SELECT count(*) FROM stream_ids WHERE delivered_at IS NOT NULL'),
        '3',
        'each identity is kept with its delivery time',
      );

      const resent = await deliverSegment(
        db,
        state,
        layout,
        STREAMS.events,
        await segment('seg-00000000000002-000001', [2, 3, 4]),
        'b2',
      );
      assert.deepEqual(
        [resent.delivered, resent.duplicates],
        [1, 2],
        'within the window only the new record is delivered',
      );

      await forgetStreamIds(db, new Date(Date.now() - 3_600_000));
      assert.equal(
        await db.scalar('SELECT count(*) FROM stream_ids'),
        '4',
        'nothing younger than the window is forgotten',
      );
      await forgetStreamIds(db, new Date(Date.now() + 1000));
      assert.equal(await db.scalar('SELECT count(*) FROM stream_ids'), '0');
      const late = await deliverSegment(
        db,
        state,
        layout,
        STREAMS.events,
        await segment('seg-00000000000003-000001', [1]),
        'b3',
      );
      assert.deepEqual(
        [late.delivered, late.duplicates],
        [1, 0],
        'past the window a repeat reaches bronze again (silver keeps one row per event_id)',
      );
      assert.equal(
        await state.scalar("SELECT count(*) FROM ingested_files WHERE starts_with(path, 'stream/events/')"),
        '3',
      );
    } finally {
      await db.close();
      await state.close();
    }
  },
);

test(
  'the identities a home kept in state.duckdb move to the stream database, ' + 'and still drop repeats there',
  async () => {
    const root = await tempDir('stream-db');
    const layout = new LakeLayout(join(root, 'home'));
    const state = await openStateStore(layout.stateDb);
    try {
      await state.run(
        "INSERT INTO stream_ids VALUES ('events', 'e-1', now()::TIMESTAMP), ('events', 'e-2', now()::TIMESTAMP)",
      );
      const db = await openStreamDb(layout, state);
      try {
        assert.deepEqual(
          [await db.scalar('SELECT count(*) FROM stream_ids'), await state.scalar('SELECT count(*) FROM stream_ids')],
          ['2', '0'],
        );
        assert.equal(String(await db.scalar("SELECT current_setting('threads')")), '1');
        const path = join(root, 'seg-00000000000001-000001.ndjson');
        await writeFile(
          path,
          ['e-1', 'e-3']
            .map((id) =>
              JSON.stringify({
                event_id: id,
                event_ts: '2024-06-01T10:00:00Z',
                session_id: 'S-1',
                event_type: 'page_view',
              }),
            )
            .join('\n') + '\n',
        );
        const d = await deliverSegment(db, state, layout, STREAMS.events, path, 'b1');
        assert.deepEqual([d.delivered, d.duplicates], [1, 1], 'e-1, moved, is still known');
      } finally {
        await db.close();
      }
      // Opened again (the move done): nothing is moved twice.
      const again = await openStreamDb(layout, state);
      assert.equal(await again.scalar('SELECT count(*) FROM stream_ids'), '3');
      await again.close();
    } finally {
      await state.close();
    }
  },
);

test(
  'a new process loads the identities kept before into its filter; a ' +
    'repeat of one is still dropped, and new records skip reading them',
  async () => {
    const root = await tempDir('dedup-filter');
    const layout = new LakeLayout(join(root, 'home'));
    const state = await openStateStore(layout.stateDb);
    const segment = async (name: string, ids: number[]) => {
      const path = join(root, `${name}.ndjson`);
      await writeFile(
        path,
        ids
          .map((i) =>
            JSON.stringify({
              event_id: `f-${i}`,
              event_ts: '2024-06-01T10:00:00Z',
              session_id: 'S-1',
              event_type: 'page_view',
            }),
          )
          .join('\n') + '\n',
      );
      return path;
    };
    try {
      const before = await openStreamDb(layout, state);
      // Identities of an earlier process, more than a loading page of them.
      await before.run(
        `INSERT INTO stream_ids
         SELECT md5_number('events' || chr(0) || ('x-' || range::VARCHAR)), now()::TIMESTAMP FROM range(250000)`,
      );
      const first = await deliverSegment(
        before,
        state,
        layout,
        STREAMS.events,
        await segment('seg-00000000000001-000001', [1, 2]),
        'b1',
      );
      assert.deepEqual([first.delivered, first.duplicates], [2, 0]);
      await before.close();

      const db = await openStreamDb(layout, state);
      try {
        const filter = IdentityFilter.of(db);
        assert.equal(filter, IdentityFilter.of(db), 'one filter per database session');
        await filter.load();
        assert.deepEqual(filter.stats.identities, 250_002, 'every identity kept before is in the filter');
        assert.equal((await filter.check("(SELECT md5_number('events' || chr(0) || 'x-77') AS _id)")).repeats, true);
        assert.equal(
          (await filter.check("(SELECT md5_number('events' || chr(0) || 'never-sent') AS _id)")).repeats,
          false,
        );
        const again = await deliverSegment(
          db,
          state,
          layout,
          STREAMS.events,
          await segment('seg-00000000000002-000001', [2, 3]),
          'b2',
        );
        assert.deepEqual(
          [again.delivered, again.duplicates, again.repeatCheck],
          [1, 1, 'exact'],
          'f-2, kept by the earlier process, is a repeat',
        );
        const fresh = await deliverSegment(
          db,
          state,
          layout,
          STREAMS.events,
          await segment('seg-00000000000003-000001', [4, 5, 5]),
          'b3',
        );
        assert.deepEqual(
          [fresh.delivered, fresh.duplicates, fresh.repeatCheck],
          [2, 1, 'filter'],
          'new records skip reading the identities; a repeat inside the segment is still kept once',
        );
        assert.equal(filter.stats.identities, 250_005);
        await forgetStreamIds(db, new Date(Date.now() + 10 * 60_000));
        assert.equal(filter.stats.identities, 0, 'the filter forgets with the window');
      } finally {
        await db.close();
      }
    } finally {
      await state.close();
    }
  },
);
