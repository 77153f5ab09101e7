import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigSchema } from '../src/config/index.ts';
import { DuckSession, literal } from '../src/duck/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout } from '../src/lake/index.ts';
import type { DagRunRecord } from '../src/dag/index.ts';
import { startServer } from '../src/serve/index.ts';
import { NATS_URL, natsOrSkip } from './helpers/nats.ts';
import { tempDir } from './helpers/temp-dir.ts';

test(
  'a JetStream subject feeds the lake through a durable consumer; ' + 'redelivered records are not duplicated',
  async (t) => {
    const nc = await natsOrSkip(t);
    if (!nc) return;
    const tag = randomBytes(4).toString('hex');
    const stream = `SHOPLAKE_TEST_${tag}`;
    const subject = `shoplake.test.${tag}.events`;
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [subject] });
    t.after(async () => {
      await jsm.streams.delete(stream).catch(() => undefined);
      await nc.drain();
    });
    const js = nc.jetstream();
    const event = (i: number) => ({
      event_id: `js-${tag}-${i}`,
      event_ts: `2024-06-0${1 + (i % 9)}T12:00:00Z`,
      session_id: `S${i % 40}`,
      customer_id: 'C000001',
      event_type: 'page_view',
      device: 'desktop',
    });
    // 300 messages of one event, 20 arrays of 5, and the first 50
    // events published a second time (what a redelivery looks like).
    for (let i = 0; i < 300; i++) await js.publish(subject, JSON.stringify(event(i)));
    for (let b = 0; b < 20; b++)
      await js.publish(subject, JSON.stringify(Array.from({ length: 5 }, (_, k) => event(300 + b * 5 + k))));
    for (let i = 0; i < 50; i++) await js.publish(subject, JSON.stringify(event(i)));

    const root = await tempDir('jetstream');
    const landing = join(root, 'landing');
    const home = join(root, 'home');
    await generateLanding({ out: landing, scale: 0.002, seed: 33, drops: 1 });
    const server = await startServer({
      config: ConfigSchema.parse({
        home,
        landing,
        server: { port: 0 },
        orchestrator: { dailySchedule: '', watchLanding: false },
        collector: {
          flushIntervalMs: 200,
          refreshGoldIntervalMs: 0,
          nats: [{ url: NATS_URL, stream, subject, durable: `shoplake-${tag}`, target: 'events' }],
        },
      }),
    });
    const facts = async () => {
      const db = await DuckSession.open(':memory:');
      try {
        await db.run(`ATTACH ${literal(new LakeLayout(home).warehouseDb)} AS wh (READ_ONLY)`);
        return await db.all<{ n: number; d: number }>(
          `SELECT count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS d
           FROM wh.fact_events WHERE starts_with(event_id, ${literal(`js-${tag}-`)})`,
        );
      } catch {
        return [{ n: 0, d: 0 }];
      } finally {
        await db.close();
      }
    };
    try {
      for (let i = 0; i < 600; i++) {
        const runs = (await (await fetch(`${server.url}/api/runs?limit=50`)).json()) as DagRunRecord[];
        const idle = runs.every((r) => r.state !== 'queued' && r.state !== 'running');
        if (idle && (await facts())[0]!.d === 400) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.deepEqual((await facts())[0], { n: 400, d: 400 });
      const info = await jsm.consumers.info(stream, `shoplake-${tag}`);
      assert.equal(info.num_ack_pending, 0, 'every message acknowledged');
      assert.equal(info.num_pending, 0, 'nothing left to read');
    } finally {
      await server.close();
    }
  },
);
