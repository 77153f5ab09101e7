-- Rows that silver's checks reject, with the contract reason and the raw bronze row, which
-- is looked up by (file, line) for the rejected rows only.
WITH rejects AS (
  SELECT 'customers' AS entity, _reject_reason AS reason, _reject_detail AS detail, _line, _file_seq FROM stg_customers WHERE _reject_reason IS NOT NULL
  UNION ALL SELECT 'products', _reject_reason, _reject_detail, _line, _file_seq FROM stg_products WHERE _reject_reason IS NOT NULL
  UNION ALL SELECT 'stores', _reject_reason, _reject_detail, _line, _file_seq FROM stg_stores WHERE _reject_reason IS NOT NULL
  UNION ALL SELECT 'orders', _reject_reason, _reject_detail, _line, _file_seq FROM stg_orders WHERE _reject_reason IS NOT NULL
  UNION ALL SELECT 'order_items', _reject_reason, _reject_detail, _line, _file_seq FROM stg_order_items WHERE _reject_reason IS NOT NULL
  UNION ALL SELECT 'events', _reject_reason, _reject_detail, _line, _file_seq FROM stg_events WHERE _reject_reason IS NOT NULL
), raw AS (
  SELECT 'customers' AS entity, _file_seq, _line, to_json(b)::VARCHAR AS raw FROM bronze_customers b SEMI JOIN rejects r USING (_file_seq, _line)
  UNION ALL SELECT 'products', _file_seq, _line, to_json(b)::VARCHAR FROM bronze_products b SEMI JOIN rejects r USING (_file_seq, _line)
  UNION ALL SELECT 'stores', _file_seq, _line, to_json(b)::VARCHAR FROM bronze_stores b SEMI JOIN rejects r USING (_file_seq, _line)
  UNION ALL SELECT 'orders', _file_seq, _line, to_json(b)::VARCHAR FROM bronze_orders b SEMI JOIN rejects r USING (_file_seq, _line)
  UNION ALL SELECT 'order_items', _file_seq, _line, to_json(b)::VARCHAR FROM bronze_order_items b SEMI JOIN rejects r USING (_file_seq, _line)
  UNION ALL SELECT 'events', _file_seq, _line, to_json(b)::VARCHAR FROM bronze_events b SEMI JOIN rejects r USING (_file_seq, _line)
)
SELECT r.entity, r.reason, r.detail, raw.raw, f._source_file, r._line, f._batch_id
FROM rejects r JOIN bronze_files f USING (_file_seq) LEFT JOIN raw USING (entity, _file_seq, _line)
ORDER BY r.entity, f._source_file, r._line
