-- Every delivered order record (a status change is a new record), cleansed and typed.
WITH cleaned AS (
  SELECT sl_clean(order_id) AS order_id, sl_clean(customer_id) AS customer_id, sl_clean(store_id) AS store_id,
         sl_clean(order_ts) AS order_ts, sl_clean(status) AS status, sl_clean(payment_method) AS payment_method,
         sl_clean(updated_at) AS updated_at, _line, _file_seq
  FROM bronze_orders
), typed AS (
  SELECT order_id, customer_id, store_id, sl_ts(order_ts) AS order_ts, sl_status(status) AS status,
         lower(payment_method) AS payment_method, sl_ts(updated_at) AS updated_at, order_ts AS raw_ts,
         _line, _file_seq
  FROM cleaned
)
SELECT * EXCLUDE (raw_ts),
  CASE WHEN order_id IS NULL THEN 'missing_key' WHEN order_ts IS NULL THEN 'bad_timestamp' END AS _reject_reason,
  CASE WHEN order_id IS NULL THEN 'order_id is empty'
       WHEN order_ts IS NULL THEN 'order_ts "' || coalesce(raw_ts, '') || '" is not a timestamp' END AS _reject_detail
FROM typed
