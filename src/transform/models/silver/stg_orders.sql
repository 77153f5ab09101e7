-- Every delivered order record (a status change is a new record), cleansed and typed.
WITH typed AS (
  SELECT
    sl_clean(order_id) AS order_id,
    sl_clean(customer_id) AS customer_id,
    sl_clean(store_id) AS store_id,
    sl_ts(order_ts) AS order_ts,
    sl_status(status) AS status,
    sl_lower(payment_method) AS payment_method,
    sl_ts(updated_at) AS updated_at,
    b.order_ts AS raw_ts, b AS _bronze,
    _source_file, _line, _file_seq, _batch_id
  FROM bronze_orders b
), checked AS (
  SELECT *,
    CASE WHEN order_id IS NULL THEN 'missing_key' WHEN order_ts IS NULL THEN 'bad_timestamp' END AS _reject_reason
  FROM typed
)
SELECT order_id, customer_id, store_id, order_ts, status, payment_method, updated_at,
  _reject_reason,
  CASE _reject_reason WHEN 'missing_key' THEN 'order_id is empty'
                      WHEN 'bad_timestamp' THEN 'order_ts "' || coalesce(raw_ts, '') || '" is not a timestamp' END AS _reject_detail,
  CASE WHEN _reject_reason IS NOT NULL THEN to_json(_bronze)::VARCHAR END AS _raw,
  _source_file, _line, _file_seq, _batch_id
FROM checked
