import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DuckSession, literal } from '../src/duck/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { startMockApi } from '../src/generate/mock-retail-api.ts';
import { RestSourceSchema } from '../src/ingest/index.ts';
import { LakeLayout } from '../src/lake/index.ts';
import { Orchestrator } from '../src/home/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

const TOKEN = 'api-token-123';

test('REST sources: every page through injected 500s, 429s and slow pages, then only what changed', async () => {
  const api = await startMockApi({
    seed: 1,
    orders: 1200,
    customers: 300,
    failRate: 0.15,
    ratePerSecond: 6,
    slowRate: 0.1,
    slowMs: 150,
    token: TOKEN,
  });
  const root = await tempDir('rest');
  const landing = join(root, 'landing');
  const home = join(root, 'home');
  await generateLanding({ out: landing, scale: 0.002, seed: 41, drops: 1 });
  const restSources = [
    RestSourceSchema.parse({
      name: 'shop-orders',
      entity: 'orders',
      url: `${api.url}/orders`,
      pagination: { kind: 'page', size: 50 },
      auth: { bearer: TOKEN },
      incremental: { lookbackMinutes: 1 },
    }),
    RestSourceSchema.parse({
      name: 'shop-customers',
      entity: 'customers',
      url: `${api.url}/customers`,
      pagination: { kind: 'cursor', size: 25 },
      auth: { apiKey: TOKEN },
      incremental: { lookbackMinutes: 1 },
    }),
  ];
  const o = await Orchestrator.open({ purpose: 'test', home, landing, restSources });
  const daily = async () => {
    const r = await o.trigger('daily', {});
    const done = await o.waitFor(r.runId);
    const fetch = (await o.store.tasks(r.runId)).find((t) => t.task === 'fetch_api');
    return { done, fetch, summary: o.summaryOf(r.runId) };
  };
  const silverOrders = async () => {
    const db = await DuckSession.open(':memory:');
    try {
      return new Map(
        (
          await db.all<{ order_id: string; status: string }>(
            `SELECT order_id, status
             FROM read_parquet(${literal(join(new LakeLayout(home).zone('silver'), 'silver_orders.parquet'))})
             WHERE starts_with(order_id, 'API')`,
          )
        ).map((r) => [r.order_id, r.status]),
      );
    } finally {
      await db.close();
    }
  };
  try {
    const first = await daily();
    assert.equal(first.done.state, 'success', JSON.stringify(first.done.error));
    assert.ok(api.stats.failed > 0 && api.stats.throttled > 0, `faults were injected: ${JSON.stringify(api.stats)}`);
    // 24 full order pages and the empty one that ends them, 12 customer pages.
    assert.deepEqual(first.fetch?.output, { records: 1500, pages: 37 });
    const expected = new Map(api.snapshot().orders.map((r) => [r.order_id!, r.status!]));
    assert.deepEqual(await silverOrders(), expected);

    // The API changes: the next run asks only for what changed since the saved cursor (and a minute of look-back).
    api.mutate(40);
    const served = api.stats.records;
    const second = await daily();
    assert.equal(second.done.state, 'success');
    const fetched = api.stats.records - served;
    assert.ok(fetched >= 80 && fetched < 200, `second run fetched ${fetched} records, not only the changes`);
    assert.deepEqual(await silverOrders(), new Map(api.snapshot().orders.map((r) => [r.order_id!, r.status!])));
    assert.ok(
      [...(await silverOrders()).values()].some((s) => s !== 'placed'),
      'status changes arrived',
    );
  } finally {
    await o.close();
    await api.close();
  }
});
