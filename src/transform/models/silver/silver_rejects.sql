-- Rows that silver's checks reject, with the contract reason and the raw bronze row.
SELECT 'customers' AS entity, _reject_reason AS reason, _reject_detail AS detail, _raw AS raw, _source_file, _line, _batch_id FROM stg_customers WHERE _reject_reason IS NOT NULL
UNION ALL SELECT 'products', _reject_reason, _reject_detail, _raw, _source_file, _line, _batch_id FROM stg_products WHERE _reject_reason IS NOT NULL
UNION ALL SELECT 'stores', _reject_reason, _reject_detail, _raw, _source_file, _line, _batch_id FROM stg_stores WHERE _reject_reason IS NOT NULL
UNION ALL SELECT 'orders', _reject_reason, _reject_detail, _raw, _source_file, _line, _batch_id FROM stg_orders WHERE _reject_reason IS NOT NULL
UNION ALL SELECT 'order_items', _reject_reason, _reject_detail, _raw, _source_file, _line, _batch_id FROM stg_order_items WHERE _reject_reason IS NOT NULL
UNION ALL SELECT 'events', _reject_reason, _reject_detail, _raw, _source_file, _line, _batch_id FROM stg_events WHERE _reject_reason IS NOT NULL
