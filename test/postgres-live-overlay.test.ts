import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pg from 'pg';
import { DuckSession, literal } from '../src/duck/index.ts';
import { PostgresLiveOverlay } from '../src/engines/postgres/index.ts';
import { type LiveManifest } from '../src/live/index.ts';
import { detachLiveOverlay, relayLiveOverlay } from '../src/engines/postgres/postgres-live-relay.ts';
import { POSTGRES_URL, postgresAvailable, tempGoldSchema } from './helpers/postgres.ts';
import { tempDir } from './helpers/temp-dir.ts';

test(
  'PostgreSQL live overlay: waits for its gold, copies whole then by batch, starts over ' +
    'when dropped, stays laid over a publish of newer gold, and shows nothing over other gold',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const schema = tempGoldSchema(t, 'gold_o');
    const dir = await tempDir('pg-live');
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const duck = await DuckSession.open(':memory:');
    const overlay = new PostgresLiveOverlay({ url: POSTGRES_URL, schema, scratchDir: join(dir, 'scratch') });
    const parquet = async (name: string, sql: string) => {
      await duck.run(`COPY (${sql}) TO ${literal(join(dir, name))} (FORMAT parquet)`);
      return name;
    };
    const publish = (runId: string) =>
      client.query(
        `DROP TABLE IF EXISTS ${schema}._publish_info;
         CREATE TABLE ${schema}._publish_info AS SELECT '${runId}'::text AS run_id`,
      );
    const read = async () => {
      await client.query(`SET search_path = ${schema}_live, ${schema}`);
      const rows = async (sql: string) => (await client.query(sql)).rows;
      return {
        facts: await rows('SELECT event_id, n FROM fact_events ORDER BY event_id'),
        activity: await rows("SELECT to_char(date, 'YYYY-MM-DD') AS date, sessions FROM mart_user_activity_daily"),
        funnel: await rows('SELECT step, sessions FROM mart_funnel ORDER BY step_order'),
        days: await rows('SELECT count(*)::int AS n FROM dim_date'),
        info: await rows('SELECT events::int AS events FROM _live_info').catch(() => []),
      };
    };
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`CREATE TABLE ${schema}.fact_events (event_id text, n int);
      INSERT INTO ${schema}.fact_events VALUES ('a', 1), ('b', 1);
      CREATE TABLE ${schema}.mart_user_activity_daily (date date, sessions int);
      INSERT INTO ${schema}.mart_user_activity_daily VALUES ('2030-01-01', 5), ('2030-01-02', 6);
      CREATE TABLE ${schema}.mart_funnel (step text, step_order int, sessions int);
      INSERT INTO ${schema}.mart_funnel VALUES ('view', 1, 10), ('buy', 2, 2);
      CREATE TABLE ${schema}.dim_date (date_key int, date date);
      INSERT INTO ${schema}.dim_date VALUES (20300101, '2030-01-01'), (20300102, '2030-01-02')`);
      await publish('r1');
      const gold = await read();
      const f1 = await parquet('f1.parquet', "SELECT * FROM (VALUES ('b', 2), ('c', 2)) v(event_id, n)");
      const activity = await parquet(
        'a1.parquet',
        "SELECT DATE '2030-01-02' AS date, 7 AS sessions UNION ALL SELECT DATE '2030-01-03', 1",
      );
      const funnel = await parquet(
        'u1.parquet',
        "SELECT * FROM (VALUES ('view', 1, 11), ('buy', 2, 3)) v(step, step_order, sessions)",
      );
      const manifest = (base: string, facts: string[], events: number): LiveManifest => ({
        baseRunId: base,
        baseSeq: 1,
        throughSeq: 2,
        refreshedAt: '2030-01-03T00:00:00Z',
        events,
        facts,
        activity,
        funnel,
        dimDate: null,
      });

      assert.equal(
        await overlay.apply({ liveDir: dir, manifest: manifest('r0', [f1], 2) }),
        'waiting',
        'PostgreSQL does not hold the gold the overlay was built on',
      );
      assert.deepEqual(await read(), gold);

      assert.equal(
        await overlay.apply({ liveDir: dir, manifest: manifest('r1', [f1], 2), addedFacts: join(dir, f1) }),
        'full',
      );
      const once = await read();
      assert.deepEqual(
        once.facts,
        [
          { event_id: 'a', n: 1 },
          { event_id: 'b', n: 2 },
          { event_id: 'c', n: 2 },
        ],
        'a live event shadows its published copy',
      );
      assert.deepEqual(once.activity, [
        { date: '2030-01-01', sessions: 5 },
        { date: '2030-01-02', sessions: 7 },
        { date: '2030-01-03', sessions: 1 },
      ]);
      assert.deepEqual(once.funnel, [
        { step: 'view', sessions: 11 },
        { step: 'buy', sessions: 3 },
      ]);
      assert.deepEqual(once.days, gold.days, 'no calendar in the overlay: the published one');
      assert.deepEqual(once.info, [{ events: 2 }]);

      const f2 = await parquet('f2.parquet', "SELECT 'd' AS event_id, 3 AS n");
      assert.equal(
        await overlay.apply({ liveDir: dir, manifest: manifest('r1', [f1, f2], 3), addedFacts: join(dir, f2) }),
        'incremental',
      );
      const twice = await read();
      assert.deepEqual(
        twice.facts.map((r) => r.event_id),
        ['a', 'b', 'c', 'd'],
      );

      // A publish of the same run again drops the overlay with the gold it replaced: copied whole next time.
      await client.query(`DROP SCHEMA ${schema}_live CASCADE`);
      assert.equal(await overlay.apply({ liveDir: dir, manifest: manifest('r1', [f1, f2], 3) }), 'full');
      assert.deepEqual(await read(), twice);

      // A publish of newer gold (r2 folded in 'c'), as PostgresWarehouse makes one: the
      // overlay laid over r1 is laid over r2 in the same transaction, and an overlay change
      // meanwhile waits for it (they share a lock).
      await client.query('BEGIN');
      assert.equal(await detachLiveOverlay(client, schema), 'r1');
      const f3 = await parquet('f3.parquet', "SELECT 'e' AS event_id, 4 AS n");
      let applied = false;
      const during = overlay
        .apply({ liveDir: dir, manifest: manifest('r1', [f1, f2, f3], 4), addedFacts: join(dir, f3) })
        .finally(() => (applied = true));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(applied, false, 'an overlay change waits for the publish holding the lock');
      await client.query(`DROP TABLE ${schema}.fact_events CASCADE;
      CREATE TABLE ${schema}.fact_events (event_id text, n int);
      INSERT INTO ${schema}.fact_events VALUES ('a', 1), ('b', 1), ('c', 1)`);
      await publish('r2');
      assert.equal(await relayLiveOverlay(client, schema, 'r1', 'r2'), true);
      await client.query('COMMIT');
      assert.equal(await during, 'incremental', 'the batch after the publish goes on over the new gold');
      const relaid = await read();
      assert.deepEqual(
        relaid.facts.map((r) => `${r.event_id}${r.n}`),
        ['a1', 'b2', 'c2', 'd3', 'e4'],
        'the stream stays visible over the new gold',
      );
      assert.deepEqual(relaid.info, [{ events: 4 }]);

      // The serving overlay's batches go on whatever run their manifest names (r3: published
      // embedded, not yet in PostgreSQL); a copy made whole of r3's overlay waits for r3,
      // and until then the overlay PostgreSQL holds stays.
      assert.equal(await overlay.apply({ liveDir: dir, manifest: manifest('r3', [f1, f2, f3], 4) }), 'incremental');
      assert.equal(await overlay.apply({ liveDir: dir, manifest: manifest('r3', [f3], 1), whole: true }), 'waiting');
      assert.deepEqual((await read()).facts, relaid.facts);

      // Gold of another run under it (as a publish that skipped the overlay would leave it):
      // the overlay stays in PostgreSQL but shows nothing, and a publish then drops it.
      await client.query(`UPDATE ${schema}._publish_info SET run_id = 'r9'`);
      assert.deepEqual((await read()).facts, [
        { event_id: 'a', n: 1 },
        { event_id: 'b', n: 1 },
        { event_id: 'c', n: 1 },
      ]);
      assert.deepEqual((await read()).info, []);
      await client.query('BEGIN');
      const laidOver = await detachLiveOverlay(client, schema);
      assert.equal(laidOver, undefined, 'not laid over the gold being replaced');
      await publish('r3');
      assert.equal(await relayLiveOverlay(client, schema, laidOver, 'r3'), false);
      await client.query('COMMIT');
      assert.equal(
        (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [`${schema}_live`])).rowCount,
        0,
        'the overlay is dropped',
      );
      assert.equal(await overlay.apply({ liveDir: dir, manifest: manifest('r3', [f3], 1), whole: true }), 'full');
      assert.deepEqual(
        (await read()).facts.map((r) => `${r.event_id}${r.n}`),
        ['a1', 'b1', 'c1', 'e4'],
      );
    } finally {
      await overlay.close();
      await duck.close();
      await client.end();
    }
  },
);
