-- The generator's clean, typed truth: every record that will be delivered, with the drop
-- it belongs to. Parameters arrive as DuckDB variables (seed, drops, n_cust, n_prod,
-- n_store, n_orders, n_sessions). Randomness is hash(seed, stream, i): the same seed gives
-- the same data on any machine and thread count.

CREATE OR REPLACE MACRO rnd(k, i) AS ((hash(getvariable('seed'), k, i) % 1000003)::DOUBLE / 1000003.0);
CREATE OR REPLACE MACRO pick(k, i, n) AS (hash(getvariable('seed'), k, i) % n::UBIGINT)::BIGINT;
-- The year of data is cut into `drops` equal slices of days; drop k delivers slice k.
CREATE OR REPLACE MACRO drop_of(ts) AS
  least(getvariable('drops'), 1 + floor(date_diff('day', DATE '2024-01-01', ts::DATE) * getvariable('drops') / 366))::INTEGER;
CREATE OR REPLACE MACRO drop_start(k) AS
  (TIMESTAMP '2024-01-01' + to_days(ceil((k - 1) * 366 / getvariable('drops'))::INTEGER));

CREATE OR REPLACE TABLE g_stores AS
SELECT 'S' || lpad(i::VARCHAR, 3, '0') AS store_id,
       p.city || ' ' || (['Central', 'Mall', 'Outlet', 'Plaza', 'Station', 'Park'])[1 + pick(101, i, 6)] AS store_name,
       CASE WHEN i = 1 THEN 'online' WHEN i = 2 THEN 'marketplace' ELSE 'retail' END AS channel,
       p.city, p.state, p.country,
       DATE '2015-01-01' + pick(102, i, 3000)::INTEGER AS opened_date
FROM range(1, getvariable('n_store') + 1) t(i)
JOIN pool_place p ON p.idx = pick(103, i, (SELECT count(*) FROM pool_place));

CREATE OR REPLACE TABLE g_products AS
SELECT i, 'P' || lpad(i::VARCHAR, 5, '0') AS product_id,
       a.word || ' ' || m.word || ' ' || c.subcategory || ' ' || i AS product_name,
       c.category, c.subcategory, b.word AS brand,
       round(CASE WHEN rnd(201, i) < 0.04 THEN 1000 + rnd(202, i) * 1500 ELSE 2 + pow(rnd(203, i), 2) * 400 END, 2)::DECIMAL(12, 2) AS unit_price,
       rnd(204, i) < 0.95 AS is_active
FROM range(1, getvariable('n_prod') + 1) t(i)
JOIN pool_category c ON c.idx = pick(205, i, (SELECT count(*) FROM pool_category))
JOIN pool_word a ON a.kind = 'adjective' AND a.idx = pick(206, i, (SELECT count(*) FROM pool_word WHERE kind = 'adjective'))
JOIN pool_word m ON m.kind = 'material' AND m.idx = pick(207, i, (SELECT count(*) FROM pool_word WHERE kind = 'material'))
JOIN pool_word b ON b.kind = 'brand' AND b.idx = pick(208, i, (SELECT count(*) FROM pool_word WHERE kind = 'brand'));

-- Product records as delivered: drop 1 has every product; later drops re-price some.
CREATE OR REPLACE TABLE g_product_records AS
SELECT product_id, product_name, category, subcategory, brand, unit_price,
       round(unit_price * 0.6, 2)::DECIMAL(12, 2) AS cost, is_active,
       TIMESTAMP '2023-12-01' + to_seconds(pick(209, i, 86400 * 20)) AS updated_at, 1 AS drop_no, i
FROM g_products
UNION ALL
SELECT product_id, product_name, category, subcategory, brand,
       round(unit_price * (0.8 + rnd(210 + k, i) * 0.4), 2)::DECIMAL(12, 2),
       round(unit_price * 0.6, 2)::DECIMAL(12, 2), is_active,
       drop_start(k) + to_seconds(pick(211, i, 86400)), k, i
FROM g_products, range(2, getvariable('drops') + 1) d(k)
WHERE rnd(212 + k, i) < 0.05;

CREATE OR REPLACE TABLE g_customers AS
SELECT i, 'C' || lpad(i::VARCHAR, 6, '0') AS customer_id,
       f.name AS first_name, l.name AS last_name,
       CASE WHEN rnd(301, i) < 0.47 THEN 'male' WHEN rnd(301, i) < 0.94 THEN 'female' WHEN rnd(301, i) < 0.97 THEN 'other' END AS gender,
       DATE '1950-01-01' + pick(302, i, 18000)::INTEGER AS birth_date,
       DATE '2022-01-01' + pick(303, i, 900)::INTEGER AS signup_date,
       CASE WHEN rnd(304, i) < 0.03 THEN NULL
            ELSE '+1' || (200 + pick(305, i, 800))::VARCHAR || lpad(pick(306, i, 10000000)::VARCHAR, 7, '0') END AS phone,
       -- About 1% of customers give an address that is not an email (kept, reported, nulled).
       rnd(307, i) < 0.01 AS bad_email
FROM range(1, getvariable('n_cust') + 1) t(i)
JOIN pool_first f ON f.idx = pick(308, i, (SELECT count(*) FROM pool_first))
JOIN pool_last l ON l.idx = pick(309, i, (SELECT count(*) FROM pool_last));

-- Customer records as delivered. ver 1 is the sign-up record (drop 1); ver 2 a change in
-- the same drop-1 file; ver 10+k a change delivered in drop k; ver 100+k a re-send in
-- drop k whose tracked attributes equal the latest earlier record (adds no SCD2 version).
CREATE OR REPLACE TABLE g_customer_changes AS
SELECT i, 1 AS ver, 1 AS drop_no, signup_date + INTERVAL 9 HOUR + to_seconds(pick(310, i, 3600)) AS updated_at FROM g_customers
UNION ALL
SELECT i, 2, 1, signup_date + INTERVAL 45 DAY + to_seconds(pick(311, i, 86400)) FROM g_customers
WHERE signup_date < DATE '2023-10-01' AND rnd(312, i) < 0.04
UNION ALL
SELECT i, 10 + k, k, drop_start(k) + to_seconds(pick(313 + k, i, 86400 * 5)) FROM g_customers, range(2, getvariable('drops') + 1) d(k)
WHERE rnd(320 + k, i) < 0.10;

CREATE OR REPLACE TABLE g_customer_records AS
WITH changes AS (
  SELECT c.*, ch.ver, ch.drop_no, ch.updated_at,
         (SELECT city FROM pool_place WHERE idx = pick(330 + ch.ver, c.i, (SELECT count(*) FROM pool_place))) AS city,
         (SELECT state FROM pool_place WHERE idx = pick(330 + ch.ver, c.i, (SELECT count(*) FROM pool_place))) AS state,
         (SELECT country FROM pool_place WHERE idx = pick(330 + ch.ver, c.i, (SELECT count(*) FROM pool_place))) AS country,
         -- Some sign-up records come from a legacy feed that has no loyalty_tier column.
         CASE WHEN ch.ver = 1 AND rnd(380, c.i) < 0.1 THEN NULL
              ELSE (['bronze', 'silver', 'gold', 'platinum'])[1 + least(3, pick(340 + ch.ver, c.i, 10) // 3)] END AS loyalty_tier,
         ch.ver = 1 AND rnd(380, c.i) < 0.1 AS legacy
  FROM g_customers c JOIN g_customer_changes ch USING (i)
), versioned AS (
  SELECT i, customer_id, first_name, last_name, gender, birth_date, signup_date, phone,
         CASE WHEN ver = 1 AND bad_email THEN lower(first_name) || '.' || lower(last_name) || '_at_example'
              ELSE lower(replace(first_name, ' ', '') || '.' || replace(last_name, ' ', '')) || CASE WHEN ver = 1 THEN '' ELSE ver::VARCHAR END
                   || i::VARCHAR || '@' || (['example.com', 'mail.test', 'shop.test'])[1 + pick(350, i, 3)] END AS email,
         city, state, country, loyalty_tier, updated_at, ver, drop_no, legacy
  FROM changes
)
SELECT * FROM versioned
UNION ALL
-- Re-sends: the latest earlier record again with a later updated_at.
SELECT v.i, v.customer_id, v.first_name, v.last_name, v.gender, v.birth_date, v.signup_date, v.phone, v.email,
       v.city, v.state, v.country, v.loyalty_tier, drop_start(k) + to_seconds(pick(360 + k, v.i, 86400 * 3)), 100 + k, k, false
FROM range(2, getvariable('drops') + 1) d(k)
JOIN versioned v ON v.drop_no < k AND rnd(370 + k, v.i) < 0.03
QUALIFY row_number() OVER (PARTITION BY k, v.i ORDER BY v.updated_at DESC, v.ver DESC) = 1;

CREATE OR REPLACE TABLE g_orders AS
SELECT i, 'O' || lpad(i::VARCHAR, 8, '0') AS order_id,
       CASE WHEN rnd(401, i) < 0.005 THEN 'C9' || lpad(i::VARCHAR, 7, '0')
            ELSE 'C' || lpad((1 + pick(402, i, getvariable('n_cust')))::VARCHAR, 6, '0') END AS customer_id,
       CASE WHEN rnd(403, i) < 0.003 THEN 'S999'
            ELSE 'S' || lpad((1 + least(pick(404, i, getvariable('n_store')), pick(405, i, getvariable('n_store'))))::VARCHAR, 3, '0') END AS store_id,
       TIMESTAMP '2024-01-01' + to_seconds(pick(406, i, 366 * 86400)) AS order_ts,
       CASE WHEN rnd(407, i) < 0.03 THEN NULL
            ELSE (['card', 'card', 'card', 'paypal', 'gift_card', 'cash', 'apple_pay'])[1 + pick(408, i, 7)] END AS payment_method,
       CASE WHEN rnd(409, i) < 0.10 THEN 'placed' WHEN rnd(409, i) < 0.25 THEN 'shipped' WHEN rnd(409, i) < 0.85 THEN 'delivered'
            WHEN rnd(409, i) < 0.93 THEN 'cancelled' ELSE 'returned' END AS final_status,
       1 + pick(410, i, 4) AS n_lines
FROM range(1, getvariable('n_orders') + 1) t(i);

-- Order records as delivered: `placed` in the order's own drop, then its later statuses
-- (a return passes through delivered) in the next drop (the same one for the last drop).
CREATE OR REPLACE TABLE g_order_records AS
SELECT i, order_id, customer_id, store_id, order_ts, payment_method, 'placed' AS status, order_ts AS updated_at, drop_of(order_ts) AS drop_no
FROM g_orders
UNION ALL
SELECT i, order_id, customer_id, store_id, order_ts, payment_method, 'delivered',
       order_ts + INTERVAL 3 DAY + to_seconds(pick(411, i, 86400)), least(getvariable('drops'), drop_of(order_ts) + 1)
FROM g_orders WHERE final_status = 'returned'
UNION ALL
SELECT i, order_id, customer_id, store_id, order_ts, payment_method, final_status,
       order_ts + to_days(5 + pick(412, i, 10)::INTEGER), least(getvariable('drops'), drop_of(order_ts) + 1)
FROM g_orders WHERE final_status <> 'placed';

CREATE OR REPLACE TABLE g_order_items AS
WITH lines AS (
  SELECT i, order_id, order_ts, unnest(range(1, n_lines + 1)) AS line_number FROM g_orders
)
SELECT l.i, l.order_id, l.line_number,
       CASE WHEN rnd(501, l.i * 10 + l.line_number) < 0.003 THEN 'P9' || lpad((l.i % 10000)::VARCHAR, 4, '0')
            ELSE p.product_id END AS product_id,
       (1 + floor(pow(rnd(502, l.i * 10 + l.line_number), 2.5) * 5))::INTEGER AS quantity,
       coalesce(p.unit_price, 19.99)::DECIMAL(12, 2) AS unit_price,
       drop_of(l.order_ts) AS drop_no,
       rnd(503, l.i * 10 + l.line_number) AS r
FROM lines l
LEFT JOIN g_products p ON p.i = 1 + pick(504, l.i * 10 + l.line_number, getvariable('n_prod'));

ALTER TABLE g_order_items ADD COLUMN discount DECIMAL(12, 2);
UPDATE g_order_items SET discount = CASE WHEN r < 0.25 THEN round(quantity * unit_price * 0.1, 2) ELSE 0 END;

-- Sessions and their events. A session walks the funnel to a depth; its last events are
-- the funnel steps it reached, the ones before them browsing.
CREATE OR REPLACE TABLE g_sessions AS
SELECT s, 'SS' || lpad(s::VARCHAR, 8, '0') AS session_id,
       TIMESTAMP '2024-01-01' + to_seconds(pick(601, s, 366 * 86400 - 3600)) AS started_at,
       CASE WHEN rnd(602, s) < 0.40 THEN NULL ELSE 'C' || lpad((1 + pick(603, s, getvariable('n_cust')))::VARCHAR, 6, '0') END AS customer_id,
       (['desktop', 'mobile', 'mobile', 'tablet'])[1 + pick(604, s, 4)] AS device,
       CASE WHEN rnd(605, s) < 0.3 THEN NULL ELSE (['google', 'facebook', 'newsletter', 'instagram', 'direct'])[1 + pick(606, s, 5)] END AS referrer,
       CASE WHEN rnd(607, s) < 0.10 THEN 4 WHEN rnd(607, s) < 0.16 THEN 3 WHEN rnd(607, s) < 0.32 THEN 2 WHEN rnd(607, s) < 0.75 THEN 1 ELSE 0 END AS depth,
       2 + pick(608, s, 12) AS browse
FROM range(1, getvariable('n_sessions') + 1) t(s);

CREATE OR REPLACE TABLE g_events AS
WITH steps AS (
  SELECT s.*, unnest(range(0, browse + depth)) AS j FROM g_sessions s
)
SELECT session_id || '-' || lpad(j::VARCHAR, 2, '0') AS event_id,
       started_at + to_seconds(j * 40 + pick(609, s * 100 + j, 40)) AS event_ts,
       session_id, customer_id,
       CASE WHEN j = 0 THEN 'page_view'
            WHEN j >= browse THEN (['product_view', 'add_to_cart', 'checkout_start', 'purchase'])[j - browse + 1]
            ELSE (['page_view', 'page_view', 'product_view', 'search', 'remove_from_cart'])[1 + pick(610, s * 100 + j, 5)] END AS event_type,
       device, referrer, s, j, drop_of(started_at) AS drop_no
FROM steps;

ALTER TABLE g_events ADD COLUMN product_id VARCHAR;
ALTER TABLE g_events ADD COLUMN page_url VARCHAR;
UPDATE g_events SET
  product_id = CASE WHEN event_type IN ('product_view', 'add_to_cart', 'remove_from_cart')
                    THEN 'P' || lpad((1 + pick(611, s * 100 + j, getvariable('n_prod')))::VARCHAR, 5, '0') END,
  page_url = CASE event_type WHEN 'page_view' THEN '/' || (['', 'sale', 'new', 'category/home', 'category/apparel'])[1 + pick(612, s * 100 + j, 5)]
                             WHEN 'search' THEN '/search?q=' || (['shoes', 'phone', 'lamp', 'gift'])[1 + pick(613, s * 100 + j, 4)]
                             WHEN 'checkout_start' THEN '/checkout' WHEN 'purchase' THEN '/checkout/done'
                             ELSE '/product/' || s END;
