-- The truth after drops 1..getvariable('upto'), computed from the clean records (never from
-- the landing files), as the contract defines gold. Tests compare the warehouse to it.

CREATE OR REPLACE TEMP VIEW t_orders AS
SELECT order_id, customer_id, store_id, order_ts, status
FROM g_order_records WHERE drop_no <= getvariable('upto')
QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status) = 1;

CREATE OR REPLACE TEMP VIEW t_lines AS
SELECT o.order_id, o.customer_id, o.store_id, o.order_ts, o.status, o.order_ts::DATE AS date,
       li.line_number, li.product_id, li.quantity,
       round(li.quantity * li.unit_price - li.discount, 2) AS net_amount,
       o.status IN ('placed', 'shipped', 'delivered') AS is_revenue
FROM t_orders o JOIN g_order_items li USING (order_id);

CREATE OR REPLACE TEMP VIEW t_products AS
SELECT * FROM g_product_records WHERE drop_no <= getvariable('upto')
QUALIFY row_number() OVER (PARTITION BY product_id ORDER BY updated_at DESC, drop_no DESC) = 1;

CREATE OR REPLACE TEMP VIEW t_events AS
SELECT * FROM g_events WHERE drop_no <= getvariable('upto');

CREATE OR REPLACE TEMP VIEW t_customer_versions AS
WITH recs AS (
  SELECT DISTINCT customer_id, email, phone, last_name, city, state, country, loyalty_tier, updated_at,
         -- the pipeline nulls invalid emails, so two records differing only there are one version
         CASE WHEN email LIKE '%@%.%' THEN email END AS clean_email
  FROM g_customer_records WHERE drop_no <= getvariable('upto')
), ordered AS (
  SELECT *, lag(row(clean_email, phone, last_name, city, state, country, loyalty_tier))
              OVER (PARTITION BY customer_id ORDER BY updated_at) AS prev
  FROM recs
)
SELECT * FROM ordered
WHERE prev IS NULL OR prev IS DISTINCT FROM row(clean_email, phone, last_name, city, state, country, loyalty_tier);

CREATE OR REPLACE TEMP VIEW t_mart_daily_revenue AS
SELECT date, count(DISTINCT order_id) AS orders, sum(quantity) AS items_sold, sum(net_amount) AS revenue,
       round(sum(net_amount) / count(DISTINCT order_id), 2) AS avg_order_value
FROM t_lines WHERE is_revenue GROUP BY date;

CREATE OR REPLACE TEMP VIEW t_mart_monthly_revenue AS
SELECT year(date) AS year, month(date) AS month, count(DISTINCT order_id) AS orders, sum(net_amount) AS revenue
FROM t_lines WHERE is_revenue GROUP BY ALL;

CREATE OR REPLACE TEMP VIEW t_mart_store_sales AS
SELECT coalesce(s.store_id, 'unknown') AS store_id, count(DISTINCT l.order_id) AS orders, sum(l.net_amount) AS revenue
FROM t_lines l LEFT JOIN g_stores s USING (store_id) WHERE l.is_revenue GROUP BY ALL;

CREATE OR REPLACE TEMP VIEW t_mart_category_sales AS
SELECT coalesce(p.category, 'unknown') AS category, sum(l.quantity) AS items_sold, sum(l.net_amount) AS revenue
FROM t_lines l LEFT JOIN t_products p USING (product_id) WHERE l.is_revenue GROUP BY ALL;

CREATE OR REPLACE TEMP VIEW t_mart_product_sales AS
SELECT coalesce(p.product_id, 'unknown') AS product_id, sum(l.quantity) AS items_sold, sum(l.net_amount) AS revenue
FROM t_lines l LEFT JOIN t_products p USING (product_id) WHERE l.is_revenue GROUP BY ALL;

CREATE OR REPLACE TEMP VIEW t_mart_customer_ltv AS
SELECT CASE WHEN customer_id IN (SELECT customer_id FROM g_customer_records WHERE drop_no <= getvariable('upto'))
            THEN customer_id ELSE 'unknown' END AS customer_id,
       min(date) AS first_order_date, max(date) AS last_order_date,
       count(DISTINCT order_id) AS orders, sum(net_amount) AS revenue
FROM t_lines WHERE is_revenue GROUP BY ALL;

CREATE OR REPLACE TEMP VIEW t_mart_day_of_week AS
SELECT isodow(date) AS day_of_week, count(DISTINCT order_id) AS orders, sum(net_amount) AS revenue
FROM t_lines WHERE is_revenue GROUP BY ALL;

CREATE OR REPLACE TEMP VIEW t_mart_user_activity_daily AS
SELECT event_ts::DATE AS date, count(DISTINCT customer_id) AS active_customers, count(DISTINCT session_id) AS sessions,
       count(*) FILTER (WHERE event_type = 'page_view') AS page_views,
       count(*) FILTER (WHERE event_type = 'product_view') AS product_views,
       count(*) FILTER (WHERE event_type = 'add_to_cart') AS add_to_carts,
       count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
       count(DISTINCT session_id) FILTER (WHERE event_type = 'purchase') / count(DISTINCT session_id) AS conversion_rate
FROM t_events GROUP BY ALL;

CREATE OR REPLACE TEMP VIEW t_mart_funnel AS
SELECT event_type AS step, count(DISTINCT session_id) AS sessions
FROM t_events WHERE event_type IN ('product_view', 'add_to_cart', 'checkout_start', 'purchase') GROUP BY ALL;
