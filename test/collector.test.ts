import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ConfigSchema } from '../src/config/index.ts';
import { DuckSession, literal } from '../src/duck/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout } from '../src/lake/index.ts';
import type { DagRunRecord } from '../src/dag/index.ts';
import { startServer } from '../src/serve/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

const BIN = new URL('../bin/shoplake.cjs', import.meta.url).pathname;
const TOKEN = 'test-token-0123456789';

const event = (id: string, i: number) => ({
  event_id: id,
  event_ts: new Date(Date.UTC(2024, 5, 1 + (i % 20), 10, i % 60)).toISOString(),
  session_id: `S-${Math.floor(i / 5)}`,
  customer_id: 'C000001',
  event_type: i % 7 === 0 ? 'add_to_cart' : 'page_view',
  product_id: 'P00001',
  page_url: '/p',
  device: 'mobile',
  referrer: 'direct',
});

/** Resolves when the process has exited (also when it already had). */
const exited = (p: ChildProcess) =>
  p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', r));

async function post(
  url: string,
  stream: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${url}/v1/${stream}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
}

/** Event ids in bronze stream files and in fact_events of the published warehouse. */
async function delivered(home: string): Promise<{ bronze: Map<string, number>; facts: Map<string, number> }> {
  const layout = new LakeLayout(home);
  const db = await DuckSession.open(':memory:');
  try {
    const bronze = await db
      .all<{ id: string; n: number }>(
        `SELECT event_id AS id, count(*)::INTEGER AS n
         FROM read_parquet(${literal(join(layout.bronze, 'events', 'stream', 'event_date=*', '*.parquet'))},
         union_by_name = true, hive_partitioning = false) GROUP BY 1`,
      )
      .catch(() => []);
    await db.run(`ATTACH ${literal(layout.warehouseDb)} AS wh (READ_ONLY)`);
    const facts = await db.all<{ id: string; n: number }>(
      `SELECT event_id AS id, count(*)::INTEGER AS n FROM wh.fact_events
       WHERE starts_with(event_id, 'live-') GROUP BY 1`,
    );
    return { bronze: new Map(bronze.map((r) => [r.id, r.n])), facts: new Map(facts.map((r) => [r.id, r.n])) };
  } finally {
    await db.close();
  }
}

test(
  'collector: token, JSON and gzipped NDJSON, per-record rejects ' +
    'to quarantine, 429 when full, delivered once and visible in gold',
  async () => {
    const root = await tempDir('collect');
    const landing = join(root, 'landing');
    const home = join(root, 'home');
    await generateLanding({ out: landing, scale: 0.002, seed: 31, drops: 1 });
    const config = ConfigSchema.parse({
      home,
      landing,
      server: { port: 0 },
      orchestrator: { dailySchedule: '', watchLanding: false },
      collector: { token: TOKEN, flushIntervalMs: 200, maxBufferMb: 0.05, refreshGoldIntervalMs: 0 },
    });
    const server = await startServer({ config });
    try {
      assert.equal((await fetch(`${server.url}/v1/events`, { method: 'POST', body: '[]' })).status, 401);
      const batch = [
        event('live-1', 1),
        event('live-2', 2),
        { event_ts: '2024-06-01T00:00:00Z' },
        'not an object',
        event('live-1', 1),
      ];
      const res = await post(server.url, 'events', JSON.stringify(batch));
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), {
        accepted: 3,
        rejected: [
          { index: 2, reason: 'missing_key', detail: 'event_id is empty' },
          { index: 3, reason: 'malformed_row', detail: 'a JSON string, not an object' },
        ],
      });
      const nd = [event('live-3', 3), event('live-4', 4)].map((e) => JSON.stringify(e)).join('\n') + '\n{broken\n';
      const gz = await post(server.url, 'events', gzipSync(nd), {
        'content-encoding': 'gzip',
        'content-type': 'application/x-ndjson',
      });
      assert.deepEqual(((await gz.json()) as { accepted: number; rejected: Array<{ reason: string }> }).accepted, 2);

      // The buffer refuses more than it may hold until delivery frees it.
      const big = Array.from({ length: 400 }, (_, i) => event(`live-big-${i}`, i));
      let status = 200;
      let retryAfter: string | null = null;
      let bigAccepted = 0;
      for (let i = 0; i < 20 && status !== 429; i++) {
        const r = await post(server.url, 'events', JSON.stringify(big));
        status = r.status;
        retryAfter = r.headers.get('retry-after');
        if (status === 200) bigAccepted++;
      }
      assert.equal(status, 429);
      assert.equal(retryAfter, '1');
      const scrape = async () => {
        const text = await (await fetch(`${server.url}/metrics`)).text();
        return (name: string) =>
          Number(
            text
              .split('\n')
              .find((l) => l.startsWith(`${name} `))
              ?.split(' ')[1] ?? NaN,
          );
      };
      let metric = await scrape();
      const accepted = 5 + 400 * bigAccepted;
      assert.equal(metric('shoplake_stream_records_total{stream="events",verdict="accepted"}'), accepted);
      assert.equal(metric('shoplake_stream_records_total{stream="events",verdict="rejected"}'), 3);
      assert.equal(
        metric('shoplake_stream_append_seconds_count{stream="events"}'),
        2 + bigAccepted,
        'one durable append per accepted batch',
      );
      assert.equal(
        metric('shoplake_stream_parse_seconds_count{stream="events"}'),
        2 + bigAccepted,
        'each of them parsed once on a parse thread',
      );
      assert.equal(metric('shoplake_stream_throttled_total{stream="events"}'), 1);
      // Group commit: an fsync serves one batch or several, never none.
      const syncs = metric('shoplake_stream_fsync_seconds_count{stream="events"}');
      assert.ok(syncs >= 1 && syncs <= 2 + bigAccepted, `${syncs} fsyncs for ${2 + bigAccepted} appends`);

      // Delivered to bronze once each (live-1 was sent twice), then a gold refresh makes them facts.
      for (let i = 0; i < 300; i++) {
        const runs = (await (await fetch(`${server.url}/api/runs?limit=50`)).json()) as DagRunRecord[];
        const { facts } = await delivered(home).catch(() => ({ facts: new Map<string, number>() }));
        if (facts.has('live-big-399') && runs.every((r) => r.state !== 'queued' && r.state !== 'running')) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const { bronze, facts } = await delivered(home);
      metric = await scrape();
      assert.equal(
        metric('shoplake_stream_delivered_records_total{stream="events",kind="new"}') +
          metric('shoplake_stream_delivered_records_total{stream="events",kind="repeat"}'),
        accepted,
        'every accepted record delivered or dropped as a repeat',
      );
      assert.equal(
        metric('shoplake_stream_delivered_records_total{stream="events",kind="repeat"}'),
        1,
        'live-1 came twice',
      );
      assert.equal(metric('shoplake_stream_buffer_bytes'), 0);
      assert.ok(metric('shoplake_stream_delivery_seconds_count{stream="events"}') >= 1);
      assert.equal(
        metric('shoplake_stream_identities'),
        metric('shoplake_stream_delivered_records_total{stream="events",kind="new"}'),
        'the filter holds each delivered identity',
      );
      assert.ok(metric('shoplake_stream_identity_filter_bytes') > 0);
      for (const id of ['live-1', 'live-2', 'live-3', 'live-4', 'live-big-0', 'live-big-399']) {
        assert.equal(bronze.get(id), 1, `${id} in bronze once`);
        assert.equal(facts.get(id), 1, `${id} in fact_events once`);
      }
      // Bronze stream files are partitioned by the events' UTC date, each file holding that day only.
      const streamDir = join(new LakeLayout(home).bronze, 'events', 'stream');
      const days = (await readdir(streamDir)).filter((d) => d.startsWith('event_date=')).sort();
      assert.ok(days.length >= 20, `one folder per event day: ${days.join(', ')}`);
      const db = await DuckSession.open(':memory:');
      const mixed = await db.all(`SELECT filename
                                FROM read_parquet(${literal(join(streamDir, '*', '*.parquet'))},
                                                  filename = true, hive_partitioning = false)
                                GROUP BY filename
                                HAVING count(DISTINCT event_ts[1:10]) > 1
                                    OR NOT contains(filename, 'event_date=' || any_value(event_ts[1:10]))`);
      await db.close();
      assert.deepEqual(mixed, [], 'every file holds the day its folder names');
      const quarantined = (await (
        await fetch(`${server.url}/api/quarantine/rows?entity=events&file=stream/events`)
      ).json()) as Array<{ reason: string; raw: string }>;
      assert.deepEqual(quarantined.map((q) => q.reason).sort(), ['malformed_row', 'malformed_row', 'missing_key']);
      assert.ok(quarantined.some((q) => q.raw.includes('{broken')));
    } finally {
      await server.close();
    }
  },
);

test('collector: a server killed mid-stream loses no acknowledged event and delivers none twice', async () => {
  const root = await tempDir('collect-kill');
  const landing = join(root, 'landing');
  const home = join(root, 'home');
  await generateLanding({ out: landing, scale: 0.002, seed: 32, drops: 1 });
  const cfg = join(root, 'shoplake.config.json');
  await writeFile(
    cfg,
    JSON.stringify({
      home,
      landing,
      server: { port: 0 },
      orchestrator: { dailySchedule: '', watchLanding: false },
      collector: { token: TOKEN, flushIntervalMs: 300, refreshGoldIntervalMs: 0 },
    }),
  );
  const serve = async (): Promise<{ proc: ChildProcess; url: string }> => {
    const proc = spawn(process.execPath, [BIN, 'serve', '--config', cfg], { stdio: 'ignore' });
    for (let i = 0; i < 300; i++) {
      try {
        const info = JSON.parse(await readFile(join(home, 'server.json'), 'utf8')) as { url: string; pid: number };
        if (info.pid === proc.pid && (await fetch(`${info.url}/healthz`)).ok) return { proc, url: info.url };
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('server did not start');
  };

  let { proc, url } = await serve();
  const acked = new Set<string>();
  let n = 0;
  let stop = false;
  // Four clients send batches of 50 until the server dies under them.
  const client = async () => {
    while (!stop) {
      const ids = Array.from({ length: 50 }, () => `live-${++n}`);
      try {
        const res = await post(url, 'events', JSON.stringify(ids.map((id, i) => event(id, i))));
        if (res.status === 200) for (const id of ids) acked.add(id);
      } catch {
        return;
      }
    }
  };
  const clients = [client(), client(), client(), client()];
  await new Promise((r) => setTimeout(r, 2500));
  proc.kill('SIGKILL');
  stop = true;
  await Promise.all(clients);
  await exited(proc);
  assert.ok(acked.size >= 200, `only ${acked.size} events were acknowledged before the kill`);

  // A new server recovers the buffer, delivers it and refreshes gold.
  ({ proc, url } = await serve());
  try {
    for (let i = 0; i < 600; i++) {
      const runs = (await (await fetch(`${url}/api/runs?limit=100`)).json()) as DagRunRecord[];
      const idle = runs.every((r) => r.state !== 'queued' && r.state !== 'running');
      if (idle && runs.some((r) => r.runType === 'stream' && r.state === 'success')) {
        const { facts } = await delivered(home);
        if ([...acked].every((id) => facts.has(id))) break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const { bronze, facts } = await delivered(home);
    const missing = [...acked].filter((id) => facts.get(id) !== 1);
    assert.deepEqual(missing.slice(0, 5), [], `${missing.length} acknowledged events not exactly once in fact_events`);
    assert.deepEqual([...bronze].filter(([, c]) => c !== 1).slice(0, 5), [], 'no event twice in bronze');
  } finally {
    proc.kill('SIGTERM');
    await exited(proc);
  }
});

test(
  'simulate: a live stream of sessions and orders reaches the ' +
    'collector, with its malformed share rejected, and the activity marts',
  async () => {
    const root = await tempDir('simulate');
    const landing = join(root, 'landing');
    const home = join(root, 'home');
    await generateLanding({ out: landing, scale: 0.002, seed: 34, drops: 1 });
    const config = ConfigSchema.parse({
      home,
      landing,
      server: { port: 0 },
      orchestrator: { dailySchedule: '', watchLanding: false },
      collector: { token: TOKEN, flushIntervalMs: 300 },
    });
    const server = await startServer({ config });
    try {
      const first = await server.orchestrator.trigger('daily', { runType: 'manual' });
      assert.equal((await server.orchestrator.waitFor(first.runId)).state, 'success');
      const run = spawn(process.execPath, [
        BIN,
        'simulate',
        '--target',
        server.url,
        '--token',
        TOKEN,
        '--rate',
        '400',
        '--duration',
        '2',
        '--malformed',
        '0.05',
        '--json',
      ]);
      let out = '';
      run.stdout.on('data', (d: Buffer) => (out += d));
      await exited(run);
      const tally = JSON.parse(out) as { sent: number; accepted: number; rejected: number; failed: number };
      assert.ok(tally.sent >= 600, `sent ${tally.sent}`);
      assert.equal(tally.failed, 0);
      assert.ok(tally.rejected > 0 && tally.accepted > tally.rejected * 5, JSON.stringify(tally));
      // No DAG run: the live overlay lays the delivered events over the warehouse.
      const query = async <T>(sql: string) =>
        (
          (await (
            await fetch(`${server.url}/api/query`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ sql }),
            })
          ).json()) as { rows: T[] }
        ).rows ?? [];
      let today: { events: number; purchases: number } | undefined;
      for (let i = 0; i < 300; i++) {
        const now = (
          await query<{ events: number; purchases: number }>(
            `SELECT count(*)::INTEGER AS events, count(*) FILTER (WHERE event_type = 'purchase')::INTEGER AS purchases
             FROM fact_events WHERE starts_with(event_id, 'LE-')`,
          )
        )[0];
        // Settled: two readings a moment apart agree (the last deliveries are laid over).
        if (now && today && now.events > 0 && now.events === today.events) break;
        today = now;
        await new Promise((r) => setTimeout(r, 300));
      }
      assert.ok(
        today && today.events > 600 && today.purchases > 0,
        `live events in fact_events: ${JSON.stringify(today)}`,
      );
      const day = new Date().toISOString().slice(0, 10);
      const [activity] = await query<{ sessions: number; purchases: number }>(
        `SELECT sessions::INTEGER AS sessions, purchases::INTEGER AS purchases
         FROM mart_user_activity_daily WHERE date = '${day}'::DATE`,
      );
      assert.ok(
        activity && activity.sessions > 50 && activity.purchases > 0,
        `today's activity: ${JSON.stringify(activity)}`,
      );
      const options = (await (await fetch(`${server.url}/api/dashboard/options`)).json()) as {
        maxDate: string;
        live: { events: number } | null;
      };
      assert.equal(options.maxDate, day, "the dashboard's range reaches today");
      assert.ok(options.live && options.live.events >= today.events, JSON.stringify(options.live));
      const runs = (await (await fetch(`${server.url}/api/runs`)).json()) as DagRunRecord[];
      assert.deepEqual(
        runs.filter((r) => r.runType === 'stream'),
        [],
        'no stream run was needed',
      );
    } finally {
      await server.close();
    }
  },
);
