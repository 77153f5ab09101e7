-- Every delivered clickstream event, typed; event types normalised to the contract's names.
WITH cleaned AS (
  SELECT sl_clean(event_id) AS event_id, sl_clean(event_ts) AS event_ts, sl_clean(session_id) AS session_id,
         sl_clean(customer_id) AS customer_id, sl_clean(event_type) AS event_type, sl_clean(product_id) AS product_id,
         sl_clean(order_id) AS order_id, sl_clean(page_url) AS page_url, lower(sl_clean(device)) AS device,
         lower(sl_clean(referrer)) AS referrer, _line, _file_seq
  FROM bronze_events
), typed AS (
  SELECT event_id, sl_ts(event_ts) AS event_ts, session_id, customer_id, sl_event_type(event_type) AS event_type,
         product_id, order_id, page_url, device, referrer, event_ts AS raw_ts, event_type AS raw_type,
         _line, _file_seq
  FROM cleaned
), checked AS (
  SELECT *,
    CASE WHEN event_id IS NULL THEN 'missing_key'
         WHEN event_ts IS NULL THEN 'bad_timestamp'
         WHEN event_type IS NULL OR NOT list_contains(['page_view', 'product_view', 'search', 'add_to_cart', 'remove_from_cart', 'checkout_start', 'purchase'], event_type)
           THEN 'invalid_value' END AS _reject_reason
  FROM typed
)
SELECT * EXCLUDE (raw_ts, raw_type, _reject_reason), _reject_reason,
  CASE _reject_reason WHEN 'missing_key' THEN 'event_id is empty'
                      WHEN 'bad_timestamp' THEN 'event_ts "' || coalesce(raw_ts, '') || '" is not a timestamp'
                      WHEN 'invalid_value' THEN 'unknown event_type "' || coalesce(raw_type, '') || '"' END AS _reject_detail
FROM checked
