-- The customer is the dim_customer version valid at event_ts, the first version when the
-- event predates the customer's history. ASOF joins sort their whole probe side, so only
-- the events of customers with several versions go through one; the rest take their
-- customer's only version by a plain hash join.
WITH changed AS (
  SELECT DISTINCT customer_id FROM dim_customer WHERE customer_key > 0 AND version > 1
), keyed AS (
  SELECT e.*, fv.customer_key AS first_key
  FROM silver_events e
  LEFT JOIN dim_customer fv ON fv.customer_key > 0 AND fv.version = 1 AND fv.customer_id = e.customer_id
), with_customer AS (
  SELECT k.* EXCLUDE (first_key), coalesce(k.first_key, -1) AS customer_key FROM keyed k ANTI JOIN changed USING (customer_id)
  UNION ALL
  SELECT k.* EXCLUDE (first_key), coalesce(c.customer_key, k.first_key) AS customer_key
  FROM (FROM keyed SEMI JOIN changed USING (customer_id)) k
  ASOF LEFT JOIN (SELECT customer_id, valid_from, customer_key FROM dim_customer WHERE customer_key > 0 AND version > 1) c
    ON c.customer_id = k.customer_id AND k.event_ts >= c.valid_from
)
SELECT e.event_id,
       sl_date_key(e.event_ts) AS date_key,
       e.event_ts, e.session_id,
       e.customer_key::BIGINT AS customer_key,
       coalesce(p.product_key, -1)::BIGINT AS product_key,
       e.event_type, e.device
FROM with_customer e
LEFT JOIN dim_product p ON p.product_key > 0 AND p.product_id = e.product_id
