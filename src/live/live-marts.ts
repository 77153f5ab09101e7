import { literal, type DuckSession } from '../duck/index.ts';

/**
 * The live overlay's event marts, kept incrementally: what mart_user_activity_daily and
 * mart_funnel count is held as multiplicities, events per (day, customer), (day, session)
 * and (event type, session), so a micro-batch costs its own size and the distinct keys of
 * the days it touches, not every event streamed since the last build (recomputing those
 * grew with each micro-batch until a run of minutes fell behind). A streamed event that
 * replaces a published one (same event_id) takes the published one out, as the full build
 * does. The activity figures mirror mart_user_activity_daily.sql; the funnel runs its own
 * model over the (event type, session) pairs. The live overlay test holds both to what
 * the next full build publishes.
 *
 * Works on the overlay's session: `live_new` (this micro-batch's silver events),
 * `facts_new` (its facts) and the published warehouse attached as `wh`.
 */
export class LiveMarts {
  /** Whether the published facts are in the funnel's pairs (loaded with the first micro-batch, not at start-up). */
  private funnelLoaded = false;
  /** Whether this micro-batch may replace published events (`replaced` holds their candidate ids). */
  private replacing = false;

  /** Forgets everything: the overlay starts over on a new published warehouse. */
  async reset(db: DuckSession): Promise<void> {
    for (const t of ['act_customers', 'act_sessions', 'act_counts', 'funnel_pairs'])
      await db.run(`DROP TABLE IF EXISTS ${t}`);
    await db.run(
      'CREATE TABLE act_customers (date DATE, customer_id VARCHAR, n BIGINT, PRIMARY KEY (date, customer_id))',
    );
    await db.run(
      `CREATE TABLE act_sessions (date DATE, session_id VARCHAR,
       n BIGINT, purchases BIGINT, PRIMARY KEY (date, session_id))`,
    );
    await db.run(
      `CREATE TABLE act_counts (date DATE PRIMARY KEY, events BIGINT,
       page_views BIGINT, product_views BIGINT, add_to_carts BIGINT, purchases BIGINT)`,
    );
    await db.run(
      `CREATE TABLE funnel_pairs (event_type VARCHAR, session_id VARCHAR,
       n BIGINT, PRIMARY KEY (event_type, session_id))`,
    );
    // The published event ids as 64-bit hashes, once per publish: a micro-batch looks its ids
    // up here instead of in the published silver file and facts, which cost far more and
    // grow with every event the day publishes.
    await db.run('CREATE OR REPLACE TABLE published_ids AS SELECT hash(event_id) AS h FROM wh.main.fact_events');
    this.funnelLoaded = false;
  }

  /**
   * The micro-batch's events (`live_new`) whose id may be a published one's, into
   * `replaced`: a hash match, so the exact joins below decide; usually none, and then the
   * published events are not read at all.
   */
  async findReplaced(db: DuckSession): Promise<void> {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE replaced AS SELECT DISTINCT l.event_id
       FROM live_new l SEMI JOIN published_ids p ON p.h = hash(l.event_id)`,
    );
    this.replacing = Number(await db.scalar('SELECT count(*) FROM replaced')) > 0;
  }

  /**
   * Counts this micro-batch into the activity of the days it touches (those of its events
   * and of the published events they replace), and returns those days' mart rows in
   * `activity_new`. `publishedSilver` is the published silver_events Parquet file.
   */
  async addActivity(db: DuckSession, publishedSilver: string): Promise<void> {
    const silver = `read_parquet(${literal(publishedSilver)})`;
    await db.run(`CREATE OR REPLACE TEMP TABLE act_delta AS
      SELECT event_ts::DATE AS date, customer_id, session_id, event_type, 1 AS sign FROM live_new
      ${
        this.replacing
          ? `UNION ALL SELECT s.event_ts::DATE, s.customer_id, s.session_id, s.event_type, -1
             FROM ${silver} s SEMI JOIN replaced USING (event_id)`
          : ''
      }`);
    // A day is counted once touched (it has a row in act_counts): a day touched for the first
    // time gets its published events counted, before any change to them is.
    await db.run(`CREATE OR REPLACE TEMP TABLE act_new_days AS
      SELECT DISTINCT d.date FROM act_delta d ANTI JOIN act_counts c USING (date) WHERE d.date IS NOT NULL`);
    if (Number(await db.scalar('SELECT count(*) FROM act_new_days')) > 0) {
      await db.run(
        `INSERT INTO act_delta SELECT event_ts::DATE, customer_id, session_id, event_type, 1
         FROM ${silver} WHERE event_ts::DATE IN (SELECT date FROM act_new_days)`,
      );
    }
    await db.run('DROP TABLE act_new_days');
    await db.run(`INSERT INTO act_customers SELECT date, customer_id, sum(sign)::BIGINT
                  FROM act_delta WHERE date IS NOT NULL AND customer_id IS NOT NULL GROUP BY ALL
                  ON CONFLICT DO UPDATE SET n = n + EXCLUDED.n`);
    await db.run(`INSERT INTO act_sessions SELECT date, session_id, sum(sign)::BIGINT,
                    coalesce(sum(sign) FILTER (WHERE event_type = 'purchase'), 0)::BIGINT
                  FROM act_delta WHERE date IS NOT NULL AND session_id IS NOT NULL GROUP BY ALL
                  ON CONFLICT DO UPDATE SET n = n + EXCLUDED.n, purchases = purchases + EXCLUDED.purchases`);
    await db.run(`INSERT INTO act_counts SELECT date, sum(sign)::BIGINT,
                    coalesce(sum(sign) FILTER (WHERE event_type = 'page_view'), 0)::BIGINT,
                    coalesce(sum(sign) FILTER (WHERE event_type = 'product_view'), 0)::BIGINT,
                    coalesce(sum(sign) FILTER (WHERE event_type = 'add_to_cart'), 0)::BIGINT,
                    coalesce(sum(sign) FILTER (WHERE event_type = 'purchase'), 0)::BIGINT
                  FROM act_delta WHERE date IS NOT NULL GROUP BY date
                  ON CONFLICT DO UPDATE SET events = events + EXCLUDED.events,
                    page_views = page_views + EXCLUDED.page_views,
                    product_views = product_views + EXCLUDED.product_views,
                    add_to_carts = add_to_carts + EXCLUDED.add_to_carts,
                    purchases = purchases + EXCLUDED.purchases`);
    // The mart's rows for the touched days, as mart_user_activity_daily.sql computes them.
    await db.run(`CREATE OR REPLACE TEMP TABLE activity_new AS
      WITH touched AS (SELECT DISTINCT date FROM act_delta WHERE date IS NOT NULL),
      c AS (SELECT date, count(*) FILTER (WHERE n > 0) AS active_customers
            FROM act_customers SEMI JOIN touched USING (date) GROUP BY date),
      s AS (SELECT date, count(*) FILTER (WHERE n > 0) AS sessions,
                   count(*) FILTER (WHERE n > 0 AND purchases > 0) AS purchasing
            FROM act_sessions SEMI JOIN touched USING (date) GROUP BY date)
      SELECT k.date, coalesce(c.active_customers, 0) AS active_customers, coalesce(s.sessions, 0) AS sessions,
             k.page_views, k.product_views, k.add_to_carts, k.purchases,
             coalesce(s.purchasing, 0) / coalesce(s.sessions, 0) AS conversion_rate
      FROM act_counts k SEMI JOIN touched USING (date) LEFT JOIN c USING (date) LEFT JOIN s USING (date)
      WHERE k.events > 0 ORDER BY k.date`);
    await db.run('DROP TABLE act_delta');
  }

  /**
   * Counts this micro-batch's facts into the funnel's (event type, session) pairs, and
   * points `fact_events` at the pairs still counted, which is all mart_funnel reads of it.
   * The published facts are counted the first time.
   */
  async addFunnel(db: DuckSession): Promise<void> {
    const pairs = (from: string, sign: number) =>
      `SELECT event_type, session_id, ${sign} AS sign FROM ${from} WHERE session_id IS NOT NULL`;
    await db.run(`CREATE OR REPLACE TEMP TABLE funnel_delta AS
      ${pairs('facts_new', 1)}
      ${
        this.replacing
          ? `UNION ALL ${pairs('(FROM wh.main.fact_events w SEMI JOIN replaced USING (event_id))', -1)}`
          : ''
      }
      ${this.funnelLoaded ? '' : `UNION ALL ${pairs('wh.main.fact_events', 1)}`}`);
    this.funnelLoaded = true;
    await db.run(`INSERT INTO funnel_pairs SELECT event_type, session_id, sum(sign)::BIGINT
                  FROM funnel_delta GROUP BY ALL
                  ON CONFLICT DO UPDATE SET n = n + EXCLUDED.n`);
    await db.run('DROP TABLE funnel_delta');
    await db.run(
      'CREATE OR REPLACE TEMP VIEW fact_events AS SELECT event_type, session_id FROM funnel_pairs WHERE n > 0',
    );
  }
}
