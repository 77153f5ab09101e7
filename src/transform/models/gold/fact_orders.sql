-- One row per order line. The customer is the dim_customer version valid at order_ts (the
-- earliest version when the order predates the customer's history); unknown members are -1.
-- The first version by a plain hash join; later versions by ASOF (the latest whose
-- valid_from is at or before order_ts). An ASOF join sorts its whole probe side, so only
-- the lines of customers that changed go through it.
WITH changed AS (
  SELECT DISTINCT customer_id FROM dim_customer WHERE customer_key > 0 AND version > 1
), lines AS (
  SELECT li.order_id, li.line_number, o.order_ts, o.customer_id, o.store_id, li.product_id, o.status, o.payment_method,
         li.quantity, li.unit_price, li.discount, fv.customer_key AS first_key
  FROM silver_order_items li
  JOIN silver_orders o USING (order_id)
  LEFT JOIN dim_customer fv ON fv.customer_key > 0 AND fv.version = 1 AND fv.customer_id = o.customer_id
), with_customer AS (
  SELECT l.* EXCLUDE (first_key), coalesce(l.first_key, -1) AS customer_key FROM lines l ANTI JOIN changed USING (customer_id)
  UNION ALL
  SELECT l.* EXCLUDE (first_key), coalesce(c.customer_key, l.first_key, -1) AS customer_key
  FROM (FROM lines SEMI JOIN changed USING (customer_id)) l
  ASOF LEFT JOIN (SELECT customer_id, valid_from, customer_key FROM dim_customer WHERE customer_key > 0 AND version > 1) c
    ON c.customer_id = l.customer_id AND l.order_ts >= c.valid_from
)
SELECT l.order_id, l.line_number,
       sl_date_key(l.order_ts) AS date_key,
       l.order_ts,
       l.customer_key::BIGINT AS customer_key,
       coalesce(p.product_key, -1)::BIGINT AS product_key,
       coalesce(s.store_key, -1)::BIGINT AS store_key,
       l.status, l.payment_method, l.quantity, l.unit_price, l.discount,
       round(l.quantity * l.unit_price, 2)::DECIMAL(18, 2) AS gross_amount,
       round(l.quantity * l.unit_price - l.discount, 2)::DECIMAL(18, 2) AS net_amount
FROM with_customer l
LEFT JOIN dim_product p ON p.product_key > 0 AND p.product_id = l.product_id
LEFT JOIN dim_store s ON s.store_key > 0 AND s.store_id = l.store_id
