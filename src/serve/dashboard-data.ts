import type { WarehouseReader } from '../warehouse/index.ts';

export interface DashboardFilter {
  from: string;
  to: string;
  store?: string | undefined;
  channel?: string | undefined;
  category?: string | undefined;
}

export interface Kpi {
  value: number;
  previous: number | null;
  /** (value - previous) / previous; null when there is no previous figure. */
  change: number | null;
}

// Order lines that count toward revenue (the contract: placed, shipped, delivered), with
// every attribute a filter or a chart groups by. The same rule as the gold marts.
const LINES = `
  SELECT f.order_id, f.quantity, f.net_amount, f.order_ts::DATE AS date, d.day_of_week, d.day_name, d.is_weekend,
         c.customer_id, s.store_id, s.store_name, s.channel, p.product_id, p.product_name, p.category
  FROM fact_orders f JOIN dim_date d USING (date_key) JOIN dim_customer c USING (customer_key)
  JOIN dim_store s USING (store_key) JOIN dim_product p USING (product_key)
  WHERE f.status IN ('placed', 'shipped', 'delivered')`;

const FILTERED = `(${LINES}) AS l WHERE date BETWEEN $from::DATE AND $to::DATE
  AND ($store::VARCHAR IS NULL OR store_id = $store) AND ($channel::VARCHAR IS NULL OR channel = $channel)
  AND ($category::VARCHAR IS NULL OR category = $category)`;

/** The choices the filters offer and the dates the data covers. */
export async function dashboardOptions(wh: WarehouseReader) {
  // Events may run past the last order (the stream's live events): the range covers both.
  const [range] = await wh.all<{ min: string; max: string }>(
    `SELECT min(d)::VARCHAR AS min, max(d)::VARCHAR AS max FROM (
       SELECT min(order_ts)::DATE AS d FROM fact_orders WHERE status IN ('placed', 'shipped', 'delivered')
       UNION ALL SELECT max(order_ts)::DATE FROM fact_orders WHERE status IN ('placed', 'shipped', 'delivered')
       UNION ALL SELECT max(event_ts)::DATE FROM fact_events) AS bounds`,
  );
  const stores = await wh.all<{ id: string; name: string; channel: string }>(
    'SELECT store_id AS id, store_name AS name, channel FROM dim_store WHERE store_key > 0 ORDER BY store_name',
  );
  const channels = (
    await wh.all<{ c: string }>(
      'SELECT DISTINCT channel AS c FROM dim_store WHERE store_key > 0 AND channel IS NOT NULL ORDER BY 1',
    )
  ).map((r) => r.c);
  const categories = (
    await wh.all<{ c: string }>(
      'SELECT DISTINCT category AS c FROM dim_product WHERE product_key > 0 AND category IS NOT NULL ORDER BY 1',
    )
  ).map((r) => r.c);
  const [info] = await wh.all<{ run_id: string; published_at: string }>(
    'SELECT run_id, published_at::VARCHAR AS published_at FROM _publish_info',
  );
  // The live overlay's stamp, when stream events newer than the publish are laid over it.
  const [live] = await wh
    .all<{ refreshed_at: string; events: number }>(
      'SELECT refreshed_at::VARCHAR AS refreshed_at, events::INTEGER AS events FROM _live_info WHERE events > 0',
    )
    .catch(() => []);
  return {
    minDate: range?.min ?? null,
    maxDate: range?.max ?? null,
    stores,
    channels,
    categories,
    publishedAt: info?.published_at ?? null,
    runId: info?.run_id ?? null,
    live: live ? { refreshedAt: live.refreshed_at, events: live.events } : null,
  };
}

/**
 * Every figure of the dashboard for one filter, computed by the warehouse (SQL that
 * DuckDB and PostgreSQL both read: no GROUP BY ALL, explicit casts) from the star schema:
 * KPI cards with the previous period of the same length, revenue over time, sales by
 * store, channel, category and product, top customers, customer segments and lifetime
 * value, weekdays, activity and the funnel. Money comes back as numbers of the currency
 * unit, rounded to cents.
 */
export async function dashboardData(wh: WarehouseReader, f: DashboardFilter) {
  const days = Math.round((Date.parse(f.to) - Date.parse(f.from)) / 86_400_000) + 1;
  const prevTo = shiftDay(f.from, -1);
  const prevFrom = shiftDay(f.from, -days);
  const p = {
    from: f.from,
    to: f.to,
    store: f.store ?? null,
    channel: f.channel ?? null,
    category: f.category ?? null,
  };
  const totals = async (from: string, to: string) =>
    (
      await wh.all<{ revenue: number; orders: number; items: number; customers: number }>(
        `SELECT coalesce(sum(net_amount), 0)::DOUBLE PRECISION AS revenue,
            count(DISTINCT order_id)::INTEGER AS orders, coalesce(sum(quantity), 0)::BIGINT AS items,
            count(DISTINCT customer_id)::INTEGER AS customers FROM ${FILTERED}`,
        { ...p, from, to },
      )
    )[0]!;
  const conversion = async (from: string, to: string) =>
    (
      await wh.all<{ rate: number | null }>(
        `SELECT count(DISTINCT session_id) FILTER (WHERE event_type = 'purchase')::DOUBLE PRECISION
     / nullif(count(DISTINCT session_id), 0) AS rate
     FROM fact_events WHERE event_ts::DATE BETWEEN $from::DATE AND $to::DATE`,
        { from, to },
      )
    )[0]!.rate;
  const [now, before, convNow, convBefore] = [
    await totals(f.from, f.to),
    await totals(prevFrom, prevTo),
    await conversion(f.from, f.to),
    await conversion(prevFrom, prevTo),
  ];
  const aov = (t: typeof now) => (t.orders ? Math.round((t.revenue / t.orders) * 100) / 100 : 0);
  const kpis = {
    revenue: kpi(now.revenue, before.revenue),
    orders: kpi(now.orders, before.orders),
    averageOrderValue: kpi(aov(now), before.orders ? aov(before) : null),
    itemsSold: kpi(Number(now.items), Number(before.items)),
    activeCustomers: kpi(now.customers, before.customers),
    conversionRate: kpi(convNow ?? 0, convBefore),
  };
  const q = <T extends object>(sql: string) => wh.all<T>(sql, p);
  return {
    filter: f,
    previous: { from: prevFrom, to: prevTo },
    kpis,
    revenueDaily: await q(
      `SELECT date::VARCHAR AS date, sum(net_amount)::DOUBLE PRECISION AS revenue,
       count(DISTINCT order_id)::INTEGER AS orders FROM ${FILTERED} GROUP BY date ORDER BY date`,
    ),
    revenueMonthly: await q(
      `SELECT substr(date::VARCHAR, 1, 7) AS month, sum(net_amount)::DOUBLE PRECISION AS revenue,
       count(DISTINCT order_id)::INTEGER AS orders FROM ${FILTERED} GROUP BY 1 ORDER BY 1`,
    ),
    byStore: await q(
      `SELECT store_name AS store, channel, sum(net_amount)::DOUBLE PRECISION AS revenue,
       count(DISTINCT order_id)::INTEGER AS orders FROM ${FILTERED}
       GROUP BY 1, 2 ORDER BY revenue DESC, store LIMIT 15`,
    ),
    byChannel: await q(
      `SELECT channel, sum(net_amount)::DOUBLE PRECISION AS revenue, count(DISTINCT order_id)::INTEGER AS orders
       FROM ${FILTERED} GROUP BY channel ORDER BY revenue DESC`,
    ),
    byCategory: await q(
      `SELECT category, sum(net_amount)::DOUBLE PRECISION AS revenue, sum(quantity)::BIGINT AS items
       FROM ${FILTERED} GROUP BY category ORDER BY revenue DESC`,
    ),
    topProducts: await q(
      `SELECT product_name AS product, category, sum(net_amount)::DOUBLE PRECISION AS revenue,
       sum(quantity)::BIGINT AS items FROM ${FILTERED} GROUP BY 1, 2 ORDER BY revenue DESC, product LIMIT 10`,
    ),
    topCustomers: await q(`SELECT l.customer_id AS customer, min(c.first_name || ' ' || c.last_name) AS name,
                           sum(net_amount)::DOUBLE PRECISION AS revenue, count(DISTINCT order_id)::INTEGER AS orders
                           FROM (SELECT * FROM ${FILTERED}) l
                           LEFT JOIN dim_customer c ON c.customer_id = l.customer_id AND c.is_current
                           GROUP BY l.customer_id ORDER BY revenue DESC, customer LIMIT 10`),
    segments: await wh.all(
      `SELECT rfm_segment AS segment, count(*)::INTEGER AS customers, sum(revenue)::DOUBLE PRECISION AS revenue
       FROM mart_customer_ltv GROUP BY 1 ORDER BY revenue DESC, segment`,
    ),
    lifetimeValue: await wh.all(
      `SELECT (floor(revenue / 250) * 250)::DOUBLE PRECISION AS bucket_from, count(*)::INTEGER AS customers
       FROM mart_customer_ltv GROUP BY 1 ORDER BY 1`,
    ),
    dayOfWeek: await q(
      `SELECT day_of_week, day_name, sum(net_amount)::DOUBLE PRECISION AS revenue,
       count(DISTINCT order_id)::INTEGER AS orders FROM ${FILTERED} GROUP BY 1, 2 ORDER BY day_of_week`,
    ),
    weekendVsWeekday: await q(`SELECT CASE WHEN is_weekend THEN 'weekend' ELSE 'weekday' END AS part,
                               sum(net_amount)::DOUBLE PRECISION / count(DISTINCT date) AS revenue_per_day,
                               count(DISTINCT date)::INTEGER AS days FROM ${FILTERED} GROUP BY 1 ORDER BY part DESC`),
    activity: await wh.all(
      `SELECT date::VARCHAR AS date, active_customers, sessions, conversion_rate
       FROM mart_user_activity_daily WHERE date BETWEEN $from::DATE AND $to::DATE ORDER BY date`,
      { from: f.from, to: f.to },
    ),
    funnel: await wh.all(
      `WITH steps(step, step_order) AS
                            (VALUES ('product_view', 1), ('add_to_cart', 2), ('checkout_start', 3), ('purchase', 4))
                          SELECT step, (SELECT count(DISTINCT session_id) FROM fact_events e
                                        WHERE e.event_type = s.step
                                          AND e.event_ts::DATE BETWEEN $from::DATE AND $to::DATE)::INTEGER AS sessions
                          FROM steps s ORDER BY step_order`,
      { from: f.from, to: f.to },
    ),
  };
}

function kpi(value: number, previous: number | null): Kpi {
  return { value, previous, change: previous ? (value - previous) / previous : null };
}

function shiftDay(day: string, by: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + by * 86_400_000).toISOString().slice(0, 10);
}
