import Fastify from 'fastify';
import { faker } from '@faker-js/faker';

export interface MockApiOptions {
  seed: number;
  orders: number;
  customers: number;
  /** Share of requests answered 500 (deterministic by seed). */
  failRate: number;
  /** Requests per second before 429 with Retry-After. */
  ratePerSecond: number;
  /** Share of pages answered slowly, and how slowly. */
  slowRate: number;
  slowMs: number;
  /** Accepted as `Authorization: Bearer <token>` or `X-API-Key: <token>`. */
  token: string;
  port?: number;
}

export interface MockApi {
  url: string;
  stats: { requests: number; served: number; failed: number; throttled: number; records: number };
  /** Moves `n` orders one status on (placed → shipped → delivered) and `n` customers to a new city, now. */
  mutate(n: number): void;
  /** The data as it stands, for tests to compare with. */
  snapshot(): { orders: Array<Record<string, string>>; customers: Array<Record<string, string>> };
  close(): Promise<void>;
}

const NEXT: Record<string, string> = { placed: 'shipped', shipped: 'delivered', delivered: 'delivered' };

/**
 * A retail REST API over generated data, for the demo and the tests: orders paged by page
 * number (with a Link header), customers by cursor, both filtered by `updated_since` and
 * changing over time (`mutate`); with bearer or API-key auth, rate limiting (429 +
 * Retry-After), injected 500s and slow pages.
 */
export async function startMockApi(opts: MockApiOptions): Promise<MockApi> {
  faker.seed(opts.seed);
  let clock = Date.parse('2024-06-01T00:00:00Z');
  const tick = () => new Date((clock += 1000)).toISOString();
  const customers = Array.from({ length: opts.customers }, (_, i) => ({
    customer_id: `C${String(i + 1).padStart(6, '0')}`,
    first_name: faker.person.firstName(),
    last_name: faker.person.lastName(),
    email: faker.internet.email().toLowerCase(),
    city: faker.location.city(),
    country: 'US',
    signup_date: '2024-01-15',
    updated_at: tick(),
  }));
  const orders = Array.from({ length: opts.orders }, (_, i) => ({
    order_id: `API${String(i + 1).padStart(7, '0')}`,
    customer_id: customers[i % customers.length]!.customer_id,
    store_id: `S00${1 + (i % 6)}`,
    order_ts: new Date(Date.parse('2024-05-01T00:00:00Z') + i * 60_000).toISOString(),
    status: 'placed',
    payment_method: faker.helpers.arrayElement(['card', 'paypal', 'cash']),
    updated_at: tick(),
  }));
  const rng = faker.number;
  const stats = { requests: 0, served: 0, failed: 0, throttled: 0, records: 0 };
  let windowStart = Date.now();
  let inWindow = 0;

  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (req, reply) => {
    stats.requests++;
    const auth = req.headers.authorization === `Bearer ${opts.token}` || req.headers['x-api-key'] === opts.token;
    if (!auth) return reply.status(401).send({ error: 'unauthorized' });
    if (Date.now() - windowStart >= 1000) {
      windowStart = Date.now();
      inWindow = 0;
    }
    if (++inWindow > opts.ratePerSecond) {
      stats.throttled++;
      return reply.status(429).header('retry-after', '1').send({ error: 'rate limited' });
    }
    if (rng.float() < opts.failRate) {
      stats.failed++;
      return reply.status(500).send({ error: 'injected failure' });
    }
    if (rng.float() < opts.slowRate) await new Promise((r) => setTimeout(r, opts.slowMs));
  });

  const since = (q: Record<string, string | undefined>) => q['updated_since'] ?? '';
  const byUpdate = <T extends { updated_at: string }>(rows: T[], key: keyof T) =>
    [...rows].sort((a, b) =>
      a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : String(a[key]) < String(b[key]) ? -1 : 1,
    );

  app.get('/orders', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const page = Math.max(1, Number(q['page'] ?? 1));
    const per = Math.min(500, Math.max(1, Number(q['per_page'] ?? 100)));
    const rows = byUpdate(
      orders.filter((o) => o.updated_at >= since(q)),
      'order_id',
    );
    const data = rows.slice((page - 1) * per, page * per);
    const pages = Math.max(1, Math.ceil(rows.length / per));
    if (page < pages) {
      const next = new URL(`http://x${req.url}`);
      next.searchParams.set('page', String(page + 1));
      reply.header('link', `<${next.pathname}${next.search}>; rel="next"`);
    }
    stats.served++;
    stats.records += data.length;
    return { data, page, per_page: per, total_pages: pages };
  });

  app.get('/customers', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const limit = Math.min(500, Math.max(1, Number(q['limit'] ?? 100)));
    const rows = byUpdate(
      customers.filter((c) => c.updated_at >= since(q)),
      'customer_id',
    );
    const start = q['cursor'] ? Number(Buffer.from(q['cursor'], 'base64url').toString()) : 0;
    const data = rows.slice(start, start + limit);
    stats.served++;
    stats.records += data.length;
    return {
      data,
      next_cursor: start + limit < rows.length ? Buffer.from(String(start + limit)).toString('base64url') : null,
    };
  });

  const url = await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  return {
    url,
    stats,
    mutate(n: number) {
      clock = Math.max(clock, Date.now());
      for (let i = 0; i < n; i++) {
        const o = orders[rng.int({ min: 0, max: orders.length - 1 })]!;
        o.status = NEXT[o.status]!;
        o.updated_at = tick();
        const c = customers[rng.int({ min: 0, max: customers.length - 1 })]!;
        c.city = faker.location.city();
        c.updated_at = tick();
      }
    },
    snapshot: () => ({ orders: orders.map((o) => ({ ...o })), customers: customers.map((c) => ({ ...c })) }),
    close: () => app.close(),
  };
}
