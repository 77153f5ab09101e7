WITH first_version AS (
  SELECT customer_id, customer_key FROM dim_customer WHERE customer_key > 0 AND version = 1
)
SELECT e.event_id,
       strftime(e.event_ts, '%Y%m%d')::INTEGER AS date_key,
       e.event_ts, e.session_id,
       coalesce(c.customer_key, fv.customer_key, -1)::BIGINT AS customer_key,
       coalesce(p.product_key, -1)::BIGINT AS product_key,
       e.event_type, e.device
FROM silver_events e
ASOF LEFT JOIN (SELECT customer_id, valid_from, customer_key FROM dim_customer WHERE customer_key > 0) c
  ON c.customer_id = e.customer_id AND e.event_ts >= c.valid_from
LEFT JOIN first_version fv ON fv.customer_id = e.customer_id
LEFT JOIN dim_product p ON p.product_key > 0 AND p.product_id = e.product_id
