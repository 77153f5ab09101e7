import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigSchema } from '../src/config/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { liveFiles, readLiveManifest } from '../src/live/index.ts';
import { DuckdbWarehouseReader } from '../src/engines/duckdb/duckdb-warehouse-reader.ts';
import { startServer } from '../src/serve/index.ts';
import { filesUnder } from './helpers/files-under.ts';
import { POSTGRES_URL, postgresAvailable, tempGoldSchema } from './helpers/postgres.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { until } from './helpers/until.ts';

const TOKEN = 'test-token-0123456789';

/**
 * The streaming micro-batch against the truth of a full build: events posted to the
 * collector show in fact_events, mart_user_activity_daily, mart_funnel and dim_date within
 * seconds, without a DAG run; then a daily run folds them into the warehouse, and every
 * one of those tables reads the same as the overlay did.
 */
/** A server on a small generated landing zone, collecting with a short flush, and its SQL console. */
async function liveServer(
  name: string,
  seed: number,
  warehouse?: { url: string; schema: string },
  onLog?: (line: string) => void,
) {
  const root = await tempDir(name);
  const landing = join(root, 'landing');
  const home = join(root, 'home');
  await generateLanding({ out: landing, scale: 0.002, seed, drops: 1 });
  const config = ConfigSchema.parse({
    home,
    landing,
    server: { port: 0 },
    orchestrator: { dailySchedule: '', watchLanding: false },
    collector: { token: TOKEN, flushIntervalMs: 200, refreshGold: false },
    ...(warehouse ? { warehouse } : {}),
  });
  const server = await startServer({ config, log: (line) => (console.log(`# ${line}`), onLog?.(line)) });
  const query = async <T = Record<string, unknown>>(sql: string): Promise<T[]> => {
    const res = await fetch(`${server.url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql, maxRows: 10_000 }),
    });
    const body = (await res.json()) as { rows: T[] };
    assert.equal(res.status, 200, JSON.stringify(body));
    return body.rows;
  };
  return { server, query, home };
}

test(
  'live overlay: streamed events are in the gold event tables ' +
    'within seconds, equal to what the next build publishes',
  async () => {
    const { server, query } = await liveServer('live', 41);
    try {
      const { known, events } = await firstBuild(server, query);
      const before = await snapshot(query, known.day);
      const t0 = Date.now();
      await postEvents(server.url, events);
      let visible = 0;
      while (Date.now() - t0 < 20_000) {
        visible = (
          await query<{ n: number }>(
            "SELECT count(*)::INTEGER AS n FROM fact_events WHERE starts_with(event_id, 'ov-')",
          )
        )[0]!.n;
        if (visible === events.length) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(visible, events.length, 'every posted event is a fact without a DAG run');
      console.log(`# visible in fact_events ${Date.now() - t0} ms after the collector's 200`);
      const metrics = (await (await fetch(`${server.url}/metrics`)).text()).split('\n');
      const metric = (name: string) => Number(metrics.find((l) => l.startsWith(`${name} `))?.split(' ')[1]);
      assert.equal(metric('shoplake_live_events'), events.length, "the metrics count the overlay's events");
      assert.ok(metric('shoplake_live_refresh_seconds_count') >= 1);
      assert.equal(
        ((await (await fetch(`${server.url}/api/runs?dag=daily`)).json()) as unknown[]).length,
        1,
        'no daily run was needed',
      );

      const live = await snapshot(query, known.day);
      assert.notDeepEqual(live.activity, before.activity, 'the touched day and the new days have new activity');
      assert.ok(live.activity.some((r) => r.date === '2031-03-03'));
      assert.equal(live.calendarEnd, '2031-03-03', 'dim_date reaches the new days');
      const dashboard = (await (await fetch(`${server.url}/api/dashboard?from=2031-03-01&to=2031-03-03`)).json()) as {
        activity: Array<{ date: string; sessions: number }>;
      };
      assert.deepEqual(
        dashboard.activity.map((a) => a.date),
        ['2031-03-01', '2031-03-02', '2031-03-03'],
        "the dashboard's activity widget shows the streamed days",
      );

      const fold = await server.orchestrator.trigger('daily', { runType: 'manual' });
      assert.equal((await server.orchestrator.waitFor(fold.runId)).state, 'success');
      const rebuilt = await snapshot(query, known.day);
      assert.deepEqual(live, rebuilt, 'the overlay read exactly what the full build publishes');
    } finally {
      await server.close();
    }
  },
);

test(
  'live overlay: many micro-batches are compacted into one fact file ' + 'and still read as the full build publishes',
  async (t) => {
    const { server, query, home } = await liveServer('live-compact', 43);
    try {
      const { known, events } = await firstBuild(server, query);
      const layout = new LakeLayout(home);
      let early: { files: string[]; at: number } | undefined;
      // One micro-batch per post: more than the 16 fact files after which the overlay compacts.
      const batches = Array.from({ length: 20 }, (_, i) => events.slice(i * 3, i * 3 + 3));
      for (const [i, batch] of batches.entries()) {
        await postEvents(server.url, batch);
        const n = (i + 1) * 3;
        await until(
          `micro-batch ${i + 1} in fact_events`,
          async () =>
            (
              await query<{ n: number }>(
                "SELECT count(*)::INTEGER AS n FROM fact_events WHERE starts_with(event_id, 'ov-')",
              )
            )[0]!.n === n
              ? true
              : undefined,
          20_000,
        );
        if (i === 1)
          early = { files: liveFiles(layout.live, (await readLiveManifest(layout.live))!.manifest), at: Date.now() };
      }
      // A reader may still be laying an overlay from many manifests back: its files outlive them for a while.
      if (Date.now() - early!.at < 25_000) {
        const gone = (
          await Promise.all(early!.files.map(async (f) => ((await stat(f).catch(() => undefined)) ? [] : [f])))
        ).flat();
        assert.deepEqual(gone, [], 'the files of the overlay 18 micro-batches back are still there');
      } else t.diagnostic('the batches took 25 s or more: the files of the early overlay may be gone, not checked');
      const manifest = (await readLiveManifest(layout.live))!.manifest;
      assert.ok(
        manifest.facts.length < batches.length,
        `the overlay compacted its fact files (${manifest.facts.join(', ')})`,
      );
      // Each overlay was laid over the same locked session: it still reads no file outside the live folder.
      for (const path of ['/etc/hostname', join(layout.lake, 'bronze', 'events', '*', '*.parquet')]) {
        const res = await fetch(`${server.url}/api/query`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sql: `SELECT count(*) FROM read_text(${`'${path}'`})` }),
        });
        assert.equal(res.status, 400, `reading ${path} is refused`);
        assert.match(JSON.stringify(await res.json()), /Permission Error/);
      }
      assert.equal(manifest.events, events.length);
      const live = await snapshot(query, known.day);
      const fold = await server.orchestrator.trigger('daily', { runType: 'manual' });
      assert.equal((await server.orchestrator.waitFor(fold.runId)).state, 'success');
      assert.deepEqual(
        live,
        await snapshot(query, known.day),
        'the overlay read exactly what the full build publishes',
      );

      // Two hours later, as the ledger tells it, with a few more events: the next run merges the
      // closed hour's bronze files before it builds, and publishes what the overlay showed.
      await server.orchestrator.state.run(
        "UPDATE ingested_files SET ingested_at = ingested_at - INTERVAL 2 HOUR WHERE path LIKE 'stream/%'",
      );
      const bronzeFiles = async () =>
        (await filesUnder(join(layout.bronze, 'events', 'stream'))).filter((f) => f.endsWith('.parquet')).length;
      const small = await bronzeFiles();
      await postEvents(
        server.url,
        events.slice(0, 6).map((e) => ({ ...e, event_id: e.event_id.replace('ov-', 'ov-late-') })),
      );
      await until(
        'the late events in fact_events',
        async () =>
          (
            await query<{ n: number }>(
              "SELECT count(*)::INTEGER AS n FROM fact_events WHERE starts_with(event_id, 'ov-late-')",
            )
          )[0]!.n === 6
            ? true
            : undefined,
        20_000,
      );
      const late = await snapshot(query, known.day);
      const next = await server.orchestrator.trigger('daily', { runType: 'manual' });
      assert.equal((await server.orchestrator.waitFor(next.runId)).state, 'success');
      const compacted = (await (await fetch(`${server.url}/api/runs/${next.runId}`)).json()) as {
        logs: Array<{ task: string; message: string }>;
      };
      assert.ok(
        compacted.logs.some((l) => l.task === 'compact_stream' && /^1 stream hours merged/.test(l.message)),
        JSON.stringify(compacted.logs.filter((l) => l.task === 'compact_stream')),
      );
      assert.ok(
        (await bronzeFiles()) < small,
        `the hour's ${small} bronze files were merged (${await bronzeFiles()} left, with the late delivery)`,
      );
      assert.deepEqual(
        late,
        await snapshot(query, known.day),
        'the build over the merged files publishes what the overlay showed',
      );
    } finally {
      await server.close();
    }
  },
);

test(
  'live overlay: streamed events that replace published ones (same ' +
    'event_id) take them out of the marts, as the next build does',
  async () => {
    const { server, query } = await liveServer('live-replace', 47);
    try {
      const { known, events } = await firstBuild(server, query);
      type Published = {
        event_id: string;
        ts: string;
        session_id: string;
        customer_id: string | null;
        event_type: string;
      };
      const pick = (where: string) =>
        query<Published>(
          `SELECT f.event_id, strftime(f.event_ts, '%Y-%m-%dT%H:%M:%SZ') AS ts,
       f.session_id, c.customer_id, f.event_type
       FROM fact_events f LEFT JOIN dim_customer c ON c.customer_key = f.customer_key AND f.customer_key > 0
       WHERE ${where} ORDER BY f.event_id LIMIT 3`,
        );
      const published = [
        ...(await pick(`CAST(f.event_ts AS DATE) = CAST('${known.day}' AS DATE)`)),
        ...(await pick(`f.event_type IN ('product_view', 'add_to_cart', 'checkout_start')
                      AND f.event_id IN (SELECT max(event_id) FROM fact_events
                                         GROUP BY session_id, event_type HAVING count(*) = 1)`)),
      ];
      assert.equal(published.length, 6);
      // On the last day: sent again as it was, moved to a new day as a purchase, or into
      // another session; elsewhere, a session's only event of a funnel step moved to a new session.
      const replacing = published.map((e, i) => ({
        event_id: e.event_id,
        session_id: i === 2 || i >= 3 ? `RE-S${i}` : e.session_id,
        customer_id: e.customer_id,
        device: 'mobile',
        event_ts: i === 1 ? '2031-03-02T09:00:00Z' : e.ts,
        event_type: i === 1 ? 'purchase' : e.event_type,
      }));
      await postEvents(server.url, [...events.slice(0, 20), ...replacing]);
      await until(
        'the stream in fact_events',
        async () =>
          (
            await query<{ n: number }>(
              "SELECT count(*)::INTEGER AS n FROM fact_events WHERE starts_with(event_id, 'ov-')",
            )
          )[0]!.n === 20
            ? true
            : undefined,
        20_000,
      );
      const ids = published.map((e) => `'${e.event_id}'`).join(', ');
      const replaced = () =>
        query(
          `SELECT event_id, event_ts::VARCHAR AS ts, session_id, event_type
           FROM fact_events WHERE event_id IN (${ids}) ORDER BY event_id`,
        );
      const live = { ...(await snapshot(query, known.day)), replaced: await replaced() };
      assert.equal(live.replaced.length, 6, 'each replaced event is read once');
      const fold = await server.orchestrator.trigger('daily', { runType: 'manual' });
      assert.equal((await server.orchestrator.waitFor(fold.runId)).state, 'success');
      assert.deepEqual(
        live,
        { ...(await snapshot(query, known.day)), replaced: await replaced() },
        'the overlay read exactly what the full build publishes',
      );
    } finally {
      await server.close();
    }
  },
);

test(
  "live overlay: a publish hides nothing streamed; the new warehouse's overlay " +
    'is caught up beside the serving one, takes over, and reads as the next build',
  async () => {
    const lines: string[] = [];
    const { server, query } = await liveServer('live-rebase', 53, undefined, (line) => lines.push(line));
    try {
      const { known } = await firstBuild(server, query);
      const types = ['page_view', 'product_view', 'add_to_cart', 'checkout_start', 'purchase'];
      let sent = 0;
      let posting = true;
      // Batches keep coming while a daily run builds and publishes, so some are delivered after
      // the sequence it builds through: the new warehouse's overlay has to catch up on them.
      const poster = (async () => {
        while (posting) {
          const batch = Array.from({ length: 5 }, (_, i) => ({
            event_id: `rb-${sent + i}`,
            event_ts: `${known.day}T12:${String((sent + i) % 60).padStart(2, '0')}:00Z`,
            session_id: `RB-S${Math.floor((sent + i) / 7)}`,
            customer_id: known.customer_id,
            event_type: types[(sent + i) % 5],
            product_id: known.product_id,
            device: 'web',
          }));
          await postEvents(server.url, batch);
          sent += batch.length;
          await new Promise((r) => setTimeout(r, 40));
        }
      })();
      // What readers see of the stream never shrinks: not when the publish swaps the warehouse,
      // nor while the new overlay catches up, nor when it takes over.
      const seen: number[] = [];
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          seen.push(
            (
              await query<{ n: number }>(
                "SELECT count(*)::INTEGER AS n FROM fact_events WHERE starts_with(event_id, 'rb-')",
              )
            )[0]!.n,
          );
          await new Promise((r) => setTimeout(r, 15));
        }
      })();
      await new Promise((r) => setTimeout(r, 1000));
      const fold = await server.orchestrator.trigger('daily', { runType: 'manual' });
      assert.equal((await server.orchestrator.waitFor(fold.runId)).state, 'success');
      await new Promise((r) => setTimeout(r, 1500));
      posting = false;
      await poster;
      await until(
        "every event sent in fact_events, on the new warehouse's own overlay",
        async () =>
          (
            await query<{ n: number }>(
              "SELECT count(*)::INTEGER AS n FROM fact_events WHERE starts_with(event_id, 'rb-')",
            )
          )[0]!.n === sent && lines.some((l) => /took over/.test(l))
            ? true
            : undefined,
        30_000,
      );
      watching = false;
      await watcher;
      const drops = seen.flatMap((n, i) => (i > 0 && n < seen[i - 1]! ? [`${seen[i - 1]} → ${n}`] : []));
      assert.deepEqual(drops, [], `streamed events visible never went missing (${seen.length} reads, ${sent} events)`);
      assert.ok(
        lines.some((l) => /standing in for the new one/.test(l)),
        'the serving overlay went on while the new one caught up',
      );
      const live = await snapshot(query, known.day);
      const next = await server.orchestrator.trigger('daily', { runType: 'manual' });
      assert.equal((await server.orchestrator.waitFor(next.runId)).state, 'success');
      assert.deepEqual(
        live,
        await snapshot(query, known.day),
        'the overlay that took over read exactly what the full build publishes',
      );
    } finally {
      await server.close();
    }
  },
);

type LiveServer = Awaited<ReturnType<typeof liveServer>>;

/**
 * The first daily build, then the events to stream: ids the warehouse knows (a customer, a
 * product, its last day and a session of it), read in SQL DuckDB and PostgreSQL both run.
 */
async function firstBuild(server: LiveServer['server'], query: LiveServer['query']) {
  const first = await server.orchestrator.trigger('daily', { runType: 'manual' });
  assert.equal((await server.orchestrator.waitFor(first.runId)).state, 'success');
  const [known] = await query<{ customer_id: string; product_id: string; day: string; session: string }>(
    `SELECT (SELECT customer_id FROM dim_customer WHERE customer_key > 0 ORDER BY customer_key LIMIT 1) AS customer_id,
            (SELECT product_id FROM dim_product WHERE product_key > 0 ORDER BY product_key LIMIT 1) AS product_id,
            (SELECT CAST(max(date) AS VARCHAR) FROM mart_user_activity_daily) AS day,
            (SELECT min(session_id) FROM fact_events
             WHERE CAST(event_ts AS DATE) = (SELECT max(date) FROM mart_user_activity_daily)) AS session`,
  );
  assert.ok(known);
  return { known, events: overlayEvents(known) };
}

async function postEvents(url: string, events: unknown[]): Promise<void> {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  assert.equal(res.status, 200);
}

/** Events on a day the warehouse already has (one in a session it knows), and on days past its calendar. */
function overlayEvents(known: { customer_id: string; product_id: string; day: string; session: string }) {
  const types = ['page_view', 'product_view', 'add_to_cart', 'checkout_start', 'purchase'];
  return Array.from({ length: 60 }, (_, i) => ({
    event_id: `ov-${i}`,
    event_ts: i < 30 ? `${known.day}T23:${String(i).padStart(2, '0')}:00Z` : `2031-03-0${1 + (i % 3)}T10:00:00Z`,
    session_id: i === 0 ? known.session : `OV-S${Math.floor(i / 5)}`,
    customer_id: i % 4 === 0 ? null : i % 4 === 1 ? 'C-NOT-KNOWN' : known.customer_id,
    event_type: i === 0 ? 'purchase' : types[i % 5],
    product_id: i % 2 ? known.product_id : null,
    device: 'mobile',
  }));
}

test(
  'live overlay on a PostgreSQL warehouse: its readers see the streamed events as the ' +
    'embedded overlay shows them, and the next publish replaces them with the same figures',
  async (t) => {
    if (!(await postgresAvailable(t))) return;
    const {
      server,
      query: onPostgres,
      home,
    } = await liveServer('live-pg', 43, { url: POSTGRES_URL, schema: tempGoldSchema(t, 'gold_l') });
    const layout = new LakeLayout(home);
    const embedded = new DuckdbWarehouseReader(layout.warehouseDb, layout.live);
    // Text of every value, so the two engines' number types compare.
    const neutral = async (query: (sql: string) => Promise<Array<Record<string, unknown>>>) => ({
      facts: await query(
        `SELECT event_id, CAST(date_key AS VARCHAR) AS d, CAST(event_ts AS VARCHAR) AS ts, session_id,
         CAST(customer_key AS VARCHAR) AS c, CAST(product_key AS VARCHAR) AS p, event_type
         FROM fact_events WHERE event_id LIKE 'ov-%' ORDER BY event_id`,
      ),
      factCount: await query('SELECT CAST(count(*) AS INTEGER) AS n FROM fact_events'),
      activity: await query(
        `SELECT CAST(date AS VARCHAR) AS date, CAST(active_customers AS VARCHAR) AS a, CAST(sessions AS VARCHAR) AS s,
         CAST(purchases AS VARCHAR) AS p FROM mart_user_activity_daily
         WHERE date >= DATE '2031-01-01' OR date IN (SELECT max(date) FROM dim_date WHERE date < DATE '2031-01-01')
         ORDER BY date`,
      ),
      funnel: await query('SELECT step, CAST(sessions AS VARCHAR) AS s FROM mart_funnel ORDER BY step_order'),
      calendarEnd: await query('SELECT CAST(max(date) AS VARCHAR) AS d, CAST(count(*) AS INTEGER) AS n FROM dim_date'),
      // Only while an overlay applies.
      live: await query('SELECT CAST(events AS INTEGER) AS events FROM _live_info').catch(() => []),
    });
    try {
      const { events } = await firstBuild(server, onPostgres);
      const t0 = Date.now();
      await postEvents(server.url, events);
      await until(
        'the streamed events in PostgreSQL',
        async () => {
          const [row] = await onPostgres<{ n: number }>(
            "SELECT CAST(count(*) AS INTEGER) AS n FROM fact_events WHERE event_id LIKE 'ov-%'",
          );
          return row!.n === events.length ? true : undefined;
        },
        20_000,
      );
      console.log(`# visible in PostgreSQL's fact_events ${Date.now() - t0} ms after the collector's 200`);

      const live = await neutral((sql) => onPostgres(sql));
      assert.deepEqual(
        live,
        await neutral((sql) => embedded.all<Record<string, unknown>>(sql)),
        'PostgreSQL reads what the embedded overlay reads',
      );
      assert.equal(live.calendarEnd[0]!['d'], '2031-03-03');
      assert.deepEqual(live.live, [{ events: events.length }]);

      const fold = await server.orchestrator.trigger('daily', { runType: 'manual' });
      assert.equal((await server.orchestrator.waitFor(fold.runId)).state, 'success');
      const rebuilt = await neutral((sql) => onPostgres(sql));
      assert.deepEqual({ ...rebuilt, live: [] }, { ...live, live: [] }, 'the publish holds what the overlay showed');
      // The overlay laid over the replaced gold was laid over the new one in the publish's
      // transaction (or the one built on the new gold has been copied in since): PostgreSQL's
      // readers never read gold without an overlay after a publish.
      assert.equal(rebuilt.live.length, 1, 'an overlay is laid over the new gold');
    } finally {
      await embedded.close();
      await server.close();
    }
  },
);

async function snapshot(query: <T = Record<string, unknown>>(sql: string) => Promise<T[]>, day: string) {
  return {
    facts: await query(
      `SELECT event_id, date_key, event_ts::VARCHAR AS ts, session_id, customer_key, product_key, event_type, device
       FROM fact_events WHERE starts_with(event_id, 'ov-') ORDER BY event_id`,
    ),
    factCount: await query('SELECT count(*)::INTEGER AS n FROM fact_events'),
    activity: await query<{ date: string }>(
      `SELECT date::VARCHAR AS date, * EXCLUDE (date)
       FROM mart_user_activity_daily WHERE date >= '${day}'::DATE ORDER BY date`,
    ),
    funnel: await query('SELECT * FROM mart_funnel ORDER BY step_order'),
    calendarEnd: (await query<{ d: string }>('SELECT max(date)::VARCHAR AS d FROM dim_date'))[0]!.d,
    calendarDays: await query('SELECT count(*)::INTEGER AS n, count(DISTINCT date_key)::INTEGER AS k FROM dim_date'),
  };
}
