import { faker } from '@faker-js/faker';

export interface LiveRecord {
  stream: 'events' | 'orders';
  record: unknown;
}

export interface SimulatorOptions {
  seed: number;
  /** Customers, products and stores ids are drawn from (as `generate` numbers them). */
  customers: number;
  products: number;
  stores: number;
  /** Share of records made malformed on purpose (missing id, not an object, bad timestamp). */
  malformed: number;
}

interface Session {
  id: string;
  customer: string | null;
  step: number;
  product: string;
  device: string;
  referrer: string;
}

const STEPS = ['page_view', 'product_view', 'add_to_cart', 'checkout_start', 'purchase'] as const;
// Chance that a session goes on from each step to the next: most browse, few buy.
const GO_ON = [0.75, 0.35, 0.55, 0.7];

/**
 * A live clickstream: sessions walk page view → product view → cart → checkout →
 * purchase with realistic drop-off (and searches and cart removals on the way), a
 * purchase also yields the order it creates, and a small share of records is malformed.
 * Deterministic by seed; time is the wall clock.
 */
export class LiveSimulator {
  private readonly sessions: Session[] = [];
  private n = 0;
  private readonly runId: string;

  constructor(private readonly opts: SimulatorOptions) {
    faker.seed(opts.seed);
    this.runId = faker.string.alphanumeric(6).toUpperCase();
  }

  /** The next `count` records. */
  next(count: number): LiveRecord[] {
    const out: LiveRecord[] = [];
    while (out.length < count) {
      if (this.sessions.length < 200 || faker.number.float() < 0.1) this.sessions.push(this.newSession());
      const idx = faker.number.int({ min: 0, max: this.sessions.length - 1 });
      const s = this.sessions[idx]!;
      const type = faker.number.float() < 0.08 ? (s.step >= 2 ? 'remove_from_cart' : 'search') : STEPS[s.step]!;
      out.push({ stream: 'events', record: this.maybeBreak(this.event(s, type)) });
      if (type === 'purchase') out.push({ stream: 'orders', record: this.order(s) });
      if (type === 'purchase' || (type === STEPS[s.step] && faker.number.float() > (GO_ON[s.step] ?? 0)))
        this.sessions.splice(idx, 1);
      else if (type === STEPS[s.step]) s.step++;
    }
    return out;
  }

  private newSession(): Session {
    return {
      id: `LS-${this.runId}-${++this.n}`,
      customer:
        faker.number.float() < 0.25
          ? null
          : `C${String(faker.number.int({ min: 1, max: this.opts.customers })).padStart(6, '0')}`,
      step: 0,
      product: `P${String(faker.number.int({ min: 1, max: this.opts.products })).padStart(5, '0')}`,
      device: faker.helpers.arrayElement(['mobile', 'mobile', 'desktop', 'tablet']),
      referrer: faker.helpers.arrayElement(['direct', 'google', 'newsletter', 'instagram']),
    };
  }

  private event(s: Session, type: string): Record<string, unknown> {
    return {
      event_id: `LE-${this.runId}-${++this.n}`,
      event_ts: new Date().toISOString(),
      session_id: s.id,
      customer_id: s.customer,
      event_type: type,
      product_id: type === 'page_view' || type === 'search' ? null : s.product,
      page_url: type === 'page_view' ? '/' : `/p/${s.product}`,
      device: s.device,
      referrer: s.referrer,
    };
  }

  private order(s: Session): Record<string, unknown> {
    const at = new Date().toISOString();
    return {
      order_id: `LO-${this.runId}-${++this.n}`,
      customer_id: s.customer ?? `C${String(faker.number.int({ min: 1, max: this.opts.customers })).padStart(6, '0')}`,
      store_id: `S${String(faker.number.int({ min: 1, max: this.opts.stores })).padStart(3, '0')}`,
      order_ts: at,
      status: 'placed',
      payment_method: faker.helpers.arrayElement(['card', 'paypal', 'apple_pay', 'gift_card']),
      updated_at: at,
    };
  }

  private maybeBreak(r: Record<string, unknown>): unknown {
    if (faker.number.float() >= this.opts.malformed) return r;
    return faker.helpers.arrayElement([{ ...r, event_id: '' }, 'garbage line', { ...r, event_ts: 'yesterday-ish' }]);
  }
}
