/**
 * Drives the collector over loopback with many concurrent clients and prints sustained
 * events/s, p50/p99 acknowledgement latency, and the time from an acknowledgement to the
 * event being visible in the warehouse (freshness). Prints figures; asserts nothing.
 *
 *   npm run bench:collector -- --seconds 20 --clients 32 --batch 100
 *       as fast as the clients go
 *   npm run bench:collector -- --rate 20000
 *       paced at 20,000 events/s in all
 *   npm run bench:collector -- --rate 20000 --flush 1000
 *       with the collector flushing every second (default: the config's)
 *   npm run bench:collector -- --rate 20000 --profile
 *       and a V8 CPU profile of the server in <dir>/profile
 *   npm run bench:collector -- --rate 20000 --seconds 330 --engine-threads 1
 *       builds (the 5-minute gold refresh) on one DuckDB thread
 *   npm run bench:collector -- --rate 20000 --seconds 150 --refresh-every 60
 *       a gold refresh a minute (default: the config's five)
 *   npm run bench:collector -- --rate 20000 --timeline
 *       and ack latency and freshness per ten seconds
 *   npm run bench:collector -- --rate 20000 --build-process inline
 *       builds in the serving process (default: a child at nice +10)
 *   npm run bench:collector -- --rate 20000 --build-nice 15
 *       the build child's nice (engine.buildNice, default 10)
 *   npm run bench:collector -- --rate 20000 --poll-ms 250
 *       the freshness poll's interval (default 50 ms; each poll scans fact_events on the server)
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { cpuSeconds } from './process-cpu.ts';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { findServer } from '../src/serve/index.ts';
import { formatTable } from '../src/cli/output.ts';

const { values } = parseArgs({
  options: {
    verbose: { type: 'boolean', default: false },
    timeline: { type: 'boolean', default: false },
    rate: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '32' },
    batch: { type: 'string', default: '100' },
    flush: { type: 'string' },
    'engine-threads': { type: 'string' },
    'refresh-every': { type: 'string' },
    'build-process': { type: 'string' },
    'build-nice': { type: 'string' },
    'poll-ms': { type: 'string', default: '50' },
    profile: { type: 'boolean', default: false },
    dir: { type: 'string', default: '.bench/collector' },
  },
});
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const batchSize = Number(values.batch);
// Paced: each client sends a batch every clients × batch / rate seconds (open loop), else back to back.
const gapMs = values.rate ? (clients * batchSize * 1000) / Number(values.rate) : 0;
const TOKEN = 'bench-token-0123456789';

await rm(values.dir, { recursive: true, force: true });
const home = resolve(values.dir, 'home');
await generateLanding({ out: join(values.dir, 'landing'), scale: 0.002, seed: 5, drops: 1 });
// The server runs in a process of its own, as it would in production: the clients here do
// not share its event loop.
const configFile = join(values.dir, 'shoplake.config.json');
await writeFile(
  configFile,
  JSON.stringify({
    home,
    landing: resolve(values.dir, 'landing'),
    server: { port: 0 },
    orchestrator: { dailySchedule: '', watchLanding: false },
    collector: {
      token: TOKEN,
      ...(values.flush ? { flushIntervalMs: Number(values.flush) } : {}),
      ...(values['refresh-every'] ? { refreshGoldIntervalMs: Number(values['refresh-every']) * 1000 } : {}),
    },
    engine: {
      ...(values['engine-threads'] ? { threads: Number(values['engine-threads']) } : {}),
      ...(values['build-process'] ? { buildProcess: values['build-process'] } : {}),
      ...(values['build-nice'] ? { buildNice: Number(values['build-nice']) } : {}),
    },
  }),
);
const child = spawn(
  process.execPath,
  [
    ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(values.dir, 'profile')}`] : []),
    new URL('../bin/shoplake.cjs', import.meta.url).pathname,
    'serve',
    '--config',
    configFile,
  ],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
const childLog = (chunk: Buffer) => {
  if (values.verbose)
    for (const line of chunk.toString().split('\n').filter(Boolean))
      console.error(`${new Date().toISOString().slice(11, 23)} ${line}`);
};
child.stdout.on('data', childLog);
child.stderr.on('data', childLog);
let server = await findServer(home);
for (let i = 0; !server && i < 300; i++) {
  if (child.exitCode !== null) throw new Error(`shoplake serve exited with ${child.exitCode}`);
  await new Promise((r) => setTimeout(r, 100));
  server = await findServer(home);
}
if (!server) throw new Error('shoplake serve did not start within 30 s');
const query = async <T>(sql: string): Promise<T[]> => {
  const res = await fetch(`${server.url}/api/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sql }),
  });
  return res.ok ? ((await res.json()) as { rows: T[] }).rows : [];
};
// A first run builds the warehouse from the landing files.
await fetch(`${server.url}/api/dags/daily/runs`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ wait: true }),
});

const latencies: number[] = [];
// With --timeline: [seconds since start, ack ms] and [seconds since start, freshness ms], for ten-second windows.
const ackAt: Array<[number, number]> = [];
const freshAt: Array<[number, number]> = [];
let acked = 0;
let throttled = 0;
const failed = new Map<number | string, number>();
let n = 0;
const ackedAt = new Map<number, number>();
const body = (first: number) =>
  JSON.stringify(
    Array.from({ length: batchSize }, (_, i) => ({
      event_id: `b-${first + i}`,
      event_ts: new Date().toISOString(),
      session_id: `s-${(first + i) % 5000}`,
      customer_id: 'C000001',
      event_type: 'page_view',
      device: 'mobile',
    })),
  );
// node:http on kept-alive sockets, not fetch: the clients share this machine's two cores
// with the server, and fetch's streams cost about twice the CPU per request.
const agent = new Agent({ keepAlive: true, maxSockets: clients });
const target = new URL('/v1/events', server.url);
const post = (payload: string) =>
  new Promise<{ status: number | string; text: string }>((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
const end = Date.now() + seconds * 1000;
const t0 = performance.now();
const serverCpuAtStart = cpuSeconds(child.pid!);
const clientCpuAtStart = process.cpuUsage();
// Freshness: how long after its acknowledgement a sampled event is in fact_events, polled
// while the load runs (a delivery and a micro-batch per flush interval).
const fresh: number[] = [];
let sending = true;
const poller = (async () => {
  const deadline = () => (sending ? Infinity : end + 120_000);
  while ((sending || ackedAt.size) && Date.now() < deadline()) {
    if (ackedAt.size) {
      const ids = [...ackedAt.keys()].map((k) => `'b-${k}'`).join(',');
      const rows = await query<{ event_id: string }>(`SELECT event_id FROM fact_events WHERE event_id IN (${ids})`);
      for (const r of rows) {
        const k = Number(r.event_id.slice(2));
        fresh.push(Date.now() - ackedAt.get(k)!);
        freshAt.push([(performance.now() - t0) / 1000, fresh.at(-1)!]);
        ackedAt.delete(k);
      }
    }
    await new Promise((r) => setTimeout(r, Number(values['poll-ms'])));
  }
})();
// With --timeline: per ten-second window, the server's event-loop delay (its maximum since
// the last scrape) and its log fsyncs, from /metrics: which of the two an acknowledgement waited on.
// And how many requests the server itself held over 50 ms (from the handler's start to the
// records durable), and how many of those were parsed that late: what the rest of a slow
// acknowledgement was spent on (receiving the request and sending the answer) is the difference.
// And the log's group writes whose oldest append waited over 25 ms to start, and whose
// write(2) alone took that long; and the seconds spent on live micro-batches and deliveries,
// which share the cores with the acknowledgements.
const serverAt: Array<{
  loopMaxMs: number;
  fsyncs: number;
  fsyncMeanMs: number;
  fsyncsOver50ms: number;
  heldOver50ms: number;
  parsedOver50ms: number;
  queuedOver25ms: number;
  writesOver25ms: number;
  refreshing: number;
  delivering: number;
  clientLoopMaxMs: number;
}> = [];
const scraper = values.timeline
  ? (async () => {
      const read = async () => {
        const text = await (await fetch(`${server.url}/metrics`)).text();
        const value = (name: string) =>
          Number(
            text
              .split('\n')
              .find((l) => l.startsWith(`${name} `))
              ?.split(' ')[1] ?? NaN,
          );
        return {
          loopMax: value('nodejs_eventloop_lag_max_seconds'),
          count: value('shoplake_stream_fsync_seconds_count{stream="events"}'),
          sum: value('shoplake_stream_fsync_seconds_sum{stream="events"}'),
          upTo50: value('shoplake_stream_fsync_seconds_bucket{le="0.05",stream="events"}'),
          held:
            value('shoplake_stream_append_seconds_count{stream="events"}') -
            value('shoplake_stream_append_seconds_bucket{le="0.05",stream="events"}'),
          parsed:
            value('shoplake_stream_parse_seconds_count{stream="events"}') -
            value('shoplake_stream_parse_seconds_bucket{le="0.05",stream="events"}'),
          queued:
            value('shoplake_stream_log_queue_seconds_count{stream="events"}') -
            value('shoplake_stream_log_queue_seconds_bucket{le="0.025",stream="events"}'),
          written:
            value('shoplake_stream_log_write_seconds_count{stream="events"}') -
            value('shoplake_stream_log_write_seconds_bucket{le="0.025",stream="events"}'),
          refreshing: value('shoplake_live_refresh_seconds_sum'),
          delivering: value('shoplake_stream_delivery_seconds_sum{stream="events"}'),
        };
      };
      let last = await read();
      // This process's own event-loop delay: the clients' share of a slow acknowledgement.
      const clientLoop = monitorEventLoopDelay({ resolution: 5 });
      clientLoop.enable();
      for (let w = 1; Date.now() < end; w++) {
        await new Promise((r) => setTimeout(r, Math.max(0, t0 + w * 10_000 - performance.now())));
        const now = await read();
        const clientLoopMaxMs = clientLoop.max / 1e6;
        clientLoop.reset();
        const fsyncs = now.count - last.count;
        serverAt.push({
          loopMaxMs: now.loopMax * 1000,
          fsyncs,
          fsyncMeanMs: fsyncs ? ((now.sum - last.sum) / fsyncs) * 1000 : NaN,
          fsyncsOver50ms: fsyncs - (now.upTo50 - last.upTo50),
          heldOver50ms: now.held - last.held,
          parsedOver50ms: now.parsed - last.parsed,
          queuedOver25ms: now.queued - last.queued,
          writesOver25ms: now.written - last.written,
          refreshing: now.refreshing - last.refreshing,
          delivering: now.delivering - last.delivering,
          clientLoopMaxMs,
        });
        last = now;
      }
    })()
  : undefined;
await Promise.all(
  Array.from({ length: clients }, async () => {
    let next = performance.now() + Math.random() * gapMs;
    while (Date.now() < end) {
      if (gapMs) {
        await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
        next += gapMs;
      }
      const first = n;
      n += batchSize;
      const start = performance.now();
      // A socket error (the server dropped the connection) counts as a failed request, by its code.
      const res = await post(body(first)).catch((err: NodeJS.ErrnoException) => ({
        status: err.code ?? 'error',
        text: String(err),
      }));
      if (res.status === 429) {
        throttled++;
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (res.status !== 200) {
        if (!failed.size) console.error(`first failure: ${res.status} ${res.text}`);
        failed.set(res.status, (failed.get(res.status) ?? 0) + 1);
        continue;
      }
      latencies.push(performance.now() - start);
      ackAt.push([(start - t0) / 1000, latencies.at(-1)!]);
      acked += batchSize;
      if (first % (batchSize * 50) === 0) ackedAt.set(first, Date.now());
    }
  }),
);
const elapsed = (performance.now() - t0) / 1000;
const serverCpu = cpuSeconds(child.pid!) - serverCpuAtStart;
const clientCpu = process.cpuUsage(clientCpuAtStart);
sending = false;
await poller;
await scraper;
// Zero loss: every acknowledged event is a fact exactly once.
let facts = 0;
for (let i = 0; i < 100 && facts < acked; i++) {
  facts =
    (await query<{ n: number }>("SELECT count(*)::INTEGER AS n FROM fact_events WHERE starts_with(event_id, 'b-')"))[0]
      ?.n ?? 0;
  if (facts < acked) await new Promise((r) => setTimeout(r, 200));
}
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
agent.destroy();

const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]! : NaN;
console.log(
  formatTable([
    {
      clients,
      'batch size': batchSize,
      'target/s': values.rate ? Number(values.rate) : 'max',
      seconds: +elapsed.toFixed(1),
      'events acked': acked,
      'events/s': Math.round(acked / elapsed),
      '429s': throttled,
      'ack p50 ms': +pct(latencies, 0.5).toFixed(1),
      'ack p99 ms': +pct(latencies, 0.99).toFixed(1),
      'fresh p50 s': +(pct(fresh, 0.5) / 1000).toFixed(2),
      'fresh p99 s': +(pct(fresh, 0.99) / 1000).toFixed(2),
      'fresh max s': +(Math.max(...fresh) / 1000).toFixed(2),
      'not visible after 120 s': ackedAt.size,
      // Cores busy while sending: the server's (all its threads) and these clients' own.
      'server cores': +(serverCpu / elapsed).toFixed(2),
      'client cores': +((clientCpu.user + clientCpu.system) / 1e6 / elapsed).toFixed(2),
      'facts / acked': `${facts} / ${acked}`,
      'failed requests': [...failed].map(([status, k]) => `${k}×${status}`).join(' ') || 0,
    },
  ]),
);

if (values.timeline) {
  const windows = Math.ceil(elapsed / 10);
  const within = (xs: Array<[number, number]>, w: number) =>
    xs.filter(([t]) => t >= w * 10 && t < (w + 1) * 10).map(([, v]) => v);
  console.log(
    formatTable(
      Array.from({ length: windows }, (_, w) => ({
        from: `${w * 10} s`,
        acks: within(ackAt, w).length,
        'ack p50 ms': +pct(within(ackAt, w), 0.5).toFixed(1),
        'ack p99 ms': +pct(within(ackAt, w), 0.99).toFixed(1),
        'ack max ms': +Math.max(...within(ackAt, w)).toFixed(1),
        'fresh p99 s': +(pct(within(freshAt, w), 0.99) / 1000).toFixed(2),
        'server loop max ms': +(serverAt[w]?.loopMaxMs ?? NaN).toFixed(1),
        'client loop max ms': +(serverAt[w]?.clientLoopMaxMs ?? NaN).toFixed(1),
        fsyncs: serverAt[w]?.fsyncs ?? NaN,
        'fsync mean ms': +(serverAt[w]?.fsyncMeanMs ?? NaN).toFixed(1),
        'fsyncs > 50 ms': serverAt[w]?.fsyncsOver50ms ?? NaN,
        'acks > 50 ms': within(ackAt, w).filter((ms) => ms > 50).length,
        'held > 50 ms': serverAt[w]?.heldOver50ms ?? NaN,
        'parsed > 50 ms': serverAt[w]?.parsedOver50ms ?? NaN,
        'log queue > 25 ms': serverAt[w]?.queuedOver25ms ?? NaN,
        'log writes > 25 ms': serverAt[w]?.writesOver25ms ?? NaN,
        'live refresh s': +(serverAt[w]?.refreshing ?? NaN).toFixed(1),
        'delivery s': +(serverAt[w]?.delivering ?? NaN).toFixed(1),
      })),
    ),
  );
}
