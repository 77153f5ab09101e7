-- Per entity: rows that were exact copies of another (counted once) and versions that a
-- later version of the same key replaced. Rejected rows are not counted here. Rows are
-- compared by a 64-bit hash of their business columns: far cheaper than DISTINCT * on
-- millions of rows, and a collision would only miscount by one.
WITH counts(entity, valid_rows, distinct_rows, keys) AS (
  SELECT 'customers', (SELECT count(*) FROM stg_customers WHERE _reject_reason IS NULL),
         (SELECT count(DISTINCT hash(*COLUMNS(* EXCLUDE (_reject_reason, _reject_detail, _source_file, _line, _file_seq, _batch_id)))) FROM stg_customers WHERE _reject_reason IS NULL),
         (SELECT count(*) FROM silver_customers)
  UNION ALL SELECT 'products', (SELECT count(*) FROM stg_products WHERE _reject_reason IS NULL),
         (SELECT count(DISTINCT hash(*COLUMNS(* EXCLUDE (_reject_reason, _reject_detail, _source_file, _line, _file_seq, _batch_id)))) FROM stg_products WHERE _reject_reason IS NULL),
         (SELECT count(*) FROM silver_products)
  UNION ALL SELECT 'stores', (SELECT count(*) FROM stg_stores WHERE _reject_reason IS NULL),
         (SELECT count(DISTINCT hash(*COLUMNS(* EXCLUDE (_reject_reason, _reject_detail, _source_file, _line, _file_seq, _batch_id)))) FROM stg_stores WHERE _reject_reason IS NULL),
         (SELECT count(*) FROM silver_stores)
  UNION ALL SELECT 'orders', (SELECT count(*) FROM stg_orders WHERE _reject_reason IS NULL),
         (SELECT count(DISTINCT hash(*COLUMNS(* EXCLUDE (_reject_reason, _reject_detail, _source_file, _line, _file_seq, _batch_id)))) FROM stg_orders WHERE _reject_reason IS NULL),
         (SELECT count(*) FROM silver_orders)
  UNION ALL SELECT 'order_items', (SELECT count(*) FROM stg_order_items WHERE _reject_reason IS NULL),
         (SELECT count(DISTINCT hash(*COLUMNS(* EXCLUDE (_reject_reason, _reject_detail, _source_file, _line, _file_seq, _batch_id)))) FROM stg_order_items WHERE _reject_reason IS NULL),
         (SELECT count(*) FROM silver_order_items)
  UNION ALL SELECT 'events', (SELECT count(*) FROM stg_events WHERE _reject_reason IS NULL),
         (SELECT count(DISTINCT hash(*COLUMNS(* EXCLUDE (_reject_reason, _reject_detail, _source_file, _line, _file_seq, _batch_id)))) FROM stg_events WHERE _reject_reason IS NULL),
         (SELECT count(*) FROM silver_events)
)
SELECT entity, valid_rows - distinct_rows AS exact_duplicates, distinct_rows - keys AS superseded_versions FROM counts
