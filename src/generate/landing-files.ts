import { storesFile } from './special-files.ts';

/**
 * Every ORDER BY here is total (ties broken by a key), so the same seed writes the same
 * bytes.
 *
 * The landing files of one drop: which records each holds, under which headers and in
 * which format. Every query reads the drop number from getvariable('drop'). Entity
 * folders and root-prefixed names, every accepted format, and header drift between drops
 * (drop 1 spells headers one way, later drops another) are all exercised here.
 */
export interface LandingFile {
  path: string;
  sql: string;
  /** DuckDB COPY options. */
  copy: string;
  /**
   * With `monthly`, the query also gives `_month` ('YYYY-MM' of the record's own time, or
   * NULL for the rows made bad on purpose), and the file is written once per month.
   */
  monthly?: boolean;
}

const D = "getvariable('drop')";

export function landingFiles(
  drop: number,
  parts: { orders: number; items: number; events: number },
  opts: { monthly?: boolean } = {},
): LandingFile[] {
  const later = drop > 1;
  // The extra column the big files carry when they are split by month.
  const month = (ts: string) => (opts.monthly ? `, strftime(${ts}, '%Y-%m') AS _month` : '');
  const noMonth = opts.monthly ? ', NULL AS _month' : '';
  const monthly = opts.monthly ? { monthly: true } : {};
  const files: LandingFile[] = [];

  const customerCols = later
    ? `m_id(customer_id, 801, i) AS cust_id, m_text(first_name, 802, i) AS "firstName",
       m_text(last_name, 803, i) AS "lastName",
       m_email(email, 804, i) AS email, m_phone(phone, 805, i) AS phone, m_gender(gender, 806, i) AS gender,
       m_date(birth_date, 807, i) AS "birthDate", m_text(city, 808, i) AS city, m_text(state, 809, i) AS state,
       lpad((10000 + i % 89999)::VARCHAR, 5, '0') AS zip, m_country(country, 810, i) AS country,
       m_date(signup_date, 811, i) AS "signupDate",
       m_cat(loyalty_tier, 812, i) AS "loyaltyTier", m_ts(updated_at, 813, i) AS "updatedAt"`
    : `m_id(customer_id, 801, i) AS "Customer_ID ",
       m_text(first_name, 802, i) AS "First_Name", m_text(last_name, 803, i) AS last_name,
       m_email(email, 804, i) AS "Email", m_phone(phone, 805, i) AS "Phone", m_gender(gender, 806, i) AS "Gender",
       m_date(birth_date, 807, i) AS birth_date, m_text(city, 808, i) AS "City", m_text(state, 809, i) AS "State",
       m_country(country, 810, i) AS "Country", m_date(signup_date, 811, i) AS signup_date,
       m_cat(loyalty_tier, 812, i) AS loyalty_tier, m_ts(updated_at, 813, i) AS updated_at`;
  files.push({
    path: `customers/d${drop}-customers.csv`,
    sql: `SELECT ${customerCols} FROM (
            SELECT * FROM g_customer_records WHERE drop_no = ${D} AND NOT legacy
            UNION ALL -- exact duplicate rows inside the file
            SELECT * FROM g_customer_records WHERE drop_no = ${D} AND NOT legacy AND rnd(814, i * 1000 + ver) < 0.01)
          ORDER BY customer_id, updated_at, ver`,
    copy: 'FORMAT csv, HEADER true',
  });
  if (!later) {
    files.push({
      path: 'customers_d1_legacy.ndjson',
      sql: `SELECT trim(customer_id) AS customer_id, first_name, last_name, m_email(email, 804, i) AS email, phone,
                   m_gender(gender, 806, i) AS gender, strftime(birth_date, '%Y-%m-%d') AS birth_date, city, state,
                   m_country(country, 810, i) AS country, strftime(signup_date, '%m/%d/%Y') AS signup_date,
                   m_ts_json(updated_at, 813, i) AS updated_at
            FROM g_customer_records WHERE drop_no = 1 AND legacy ORDER BY customer_id`,
      copy: 'FORMAT json',
    });
  }

  const productCols = (idCol: string, priceCol: string) => `
    m_id(product_id, 821, i) AS ${idCol},
    m_text(product_name, 822, i) AS product_name, m_cat(category, 823, i) AS category,
    m_cat(subcategory, 824, i) AS subcategory,
    m_text(brand, 825, i) AS brand, m_money(unit_price, 826, i) AS ${priceCol},
    m_money(cost, 827, i) AS cost, m_bool(is_active, 828, i) AS is_active, m_ts(updated_at, 829, i) AS updated_at`;
  files.push({
    // Later drops arrive gzipped: a JSON array inside .json.gz.
    path: `products/d${drop}-catalog.json${later ? '.gz' : ''}`,
    sql: `SELECT ${productCols(later ? 'sku' : 'product_id', later ? 'unit_price' : 'price')}
          FROM g_product_records WHERE drop_no = ${D} AND (drop_no > 1 OR rnd(830, i) >= 0.2) ORDER BY product_id`,
    copy: `FORMAT json, ARRAY true${later ? ", COMPRESSION 'gzip'" : ''}`,
  });
  if (!later) {
    files.push({
      path: 'products_d1_feed.json',
      sql: `SELECT list(p ORDER BY p.product_id) AS products FROM (
              SELECT ${productCols('product_id', 'unit_price')}
              FROM g_product_records WHERE drop_no = 1 AND rnd(830, i) < 0.2) p`,
      copy: 'FORMAT json',
    });
  }
  files.push({
    // Later drops re-deliver the very same bytes under a new name.
    path: storesFile(drop),
    sql: `SELECT store_id AS "Store_ID", store_name AS "Store_Name", m_cat(channel, 831, hash(store_id)) AS "Channel",
                 city AS "City", state AS "State", m_country(country, 832, hash(store_id)) AS "Country",
                 m_date(opened_date, 833, hash(store_id)) AS "Opened_Date"
          FROM g_stores ORDER BY store_id`,
    copy: "FORMAT csv, HEADER true, DELIMITER '|'",
  });

  const orderCols = (id: string, cust: string, store: string, ts: string, status: string, pay: string, upd: string) => `
    m_id(order_id, 841, i) AS ${id}, m_id(customer_id, 842, i) AS ${cust}, m_id(store_id, 843, i) AS ${store},
    m_ts(order_ts, 844, i) AS ${ts}, m_status(status, 845, i * 7 + length(status)) AS ${status},
    m_cat(payment_method, 847, i) AS ${pay}, m_ts(updated_at, 848, i * 7 + length(status)) AS ${upd}`;
  for (let p = 0; p < parts.orders; p++) {
    const bad =
      p === 0
        ? `UNION ALL (SELECT order_id, customer_id, store_id, order_ts, status, payment_method, updated_at${noMonth}
                           FROM g_bad_orders WHERE drop_no = ${D} ORDER BY reason, n)`
        : '';
    const cols = orderCols(
      'order_id',
      '"customerId"',
      'store_id',
      'order_date',
      'status',
      'payment_method',
      'updated_at',
    );
    files.push({
      path: `orders/d${drop}-part-${p}.csv.gz`,
      sql: `SELECT * FROM (
              SELECT ${cols}${month('g_order_records.order_ts')}
              FROM g_order_records WHERE drop_no = ${D} AND status = 'placed' AND pick(849, i, ${parts.orders}) = ${p}
              ORDER BY order_ts, order_id) ${bad}`,
      copy: "FORMAT csv, HEADER true, COMPRESSION 'gzip'",
      ...monthly,
    });
  }
  const updateCols = orderCols(
    '"ORDER_ID"',
    '"Customer_ID"',
    '"STORE_ID"',
    'ordered_at',
    '"Status"',
    '"Payment_Method"',
    '"Updated_At"',
  );
  files.push({
    // Tab-delimited, as .tsv in drop 1 and as plain .txt later: the content decides.
    path: `orders_d${drop}_updates.${later ? 'txt' : 'tsv'}`,
    sql: `SELECT ${updateCols}${month('g_order_records.updated_at')}
          FROM g_order_records WHERE drop_no = ${D} AND status <> 'placed' ORDER BY updated_at, order_id, status`,
    copy: "FORMAT csv, HEADER true, DELIMITER '\t'",
    ...monthly,
  });

  for (let p = 0; p < parts.items; p++) {
    const bad =
      p === 0
        ? `UNION ALL (SELECT order_id, line_number, product_id, quantity, unit_price, discount
                           FROM g_bad_items WHERE drop_no = ${D} ORDER BY reason, n)`
        : '';
    files.push({
      path: `order_items/d${drop}-part-${p}.csv.gz`,
      sql: `SELECT * FROM (
              SELECT m_id(order_id, 851, i) AS "Order_ID", line_number::VARCHAR AS line,
                     m_id(product_id, 852, i) AS sku,
                     m_int(quantity, 853, i * 10 + line_number) AS qty,
                     m_money(unit_price, 854, i * 10 + line_number) AS price,
                     m_money(discount, 855, i * 10 + line_number) AS discount
              FROM g_order_items WHERE drop_no = ${D} AND pick(856, i, ${parts.items}) = ${p}
              ORDER BY i, line_number) ${bad}`,
      copy: `FORMAT csv, HEADER true, COMPRESSION 'gzip', DELIMITER '${p === 0 ? ';' : ','}'`,
    });
  }
  files.push({
    path: `order_items_d${drop}_manual.csv`,
    sql: `SELECT order_id, line_number AS line_no, product_id AS prod_id,
          quantity AS "Qty", unit_price AS "UnitPrice", discount
          FROM g_order_items WHERE drop_no = ${D} AND r < 0.01 ORDER BY i, line_number`,
    copy: 'FORMAT csv, HEADER true',
  });

  const eventCols = (ts: string, type: string, cust: string) => `
    m_id(event_id, 861, s * 100 + j) AS event_id, m_ts_json(event_ts, 862, s * 100 + j) AS ${ts}, session_id,
    customer_id AS ${cust}, m_event_type(event_type, 863, s * 100 + j) AS ${type}, product_id, NULL AS order_id,
    page_url, m_cat(device, 866, s * 100 + j) AS device, referrer`;
  for (let p = 0; p < parts.events; p++) {
    const bad =
      p === 0
        ? `UNION ALL (SELECT event_id, event_ts, session_id, NULL,
                           event_type, NULL, NULL, '/', 'desktop', NULL${noMonth}
                           FROM g_bad_events WHERE drop_no = ${D} ORDER BY reason, n)`
        : '';
    files.push({
      path: `events/d${drop}-part-${p}.ndjson.gz`,
      sql: `SELECT * FROM (
              SELECT ${eventCols('event_ts', 'event_type', 'customer_id')}${month('g_events.event_ts')} FROM g_events
              WHERE drop_no = ${D} AND rnd(867, s) >= 0.1 AND pick(868, s, ${parts.events}) = ${p}
              ORDER BY s, j) ${bad}`,
      copy: "FORMAT json, COMPRESSION 'gzip'",
      ...monthly,
    });
  }
  files.push({
    path: `events/d${drop}-mobile.jsonl`,
    sql: `SELECT ${eventCols('"timestamp"', 'event_type', '"customerId"')}${month('g_events.event_ts')} FROM g_events
          WHERE drop_no = ${D} AND rnd(867, s) < 0.1 ORDER BY s, j`,
    copy: 'FORMAT json',
    ...monthly,
  });
  files.push({
    path: `events_d${drop}_sample.txt`,
    // Exact duplicates of events delivered in the part files.
    sql: `SELECT ${eventCols('ts', '"type"', 'customer_id')} FROM g_events
          WHERE drop_no = ${D} AND rnd(867, s) >= 0.1 AND rnd(869, s * 100 + j) < 0.01 ORDER BY s, j`,
    copy: 'FORMAT json',
  });
  return files;
}
