-- Per entity: exact duplicate rows (counted once in silver) and superseded versions.
FROM sl_duplicate_counts('customers', 'stg_customers', 'silver_customers')
UNION ALL FROM sl_duplicate_counts('products', 'stg_products', 'silver_products')
UNION ALL FROM sl_duplicate_counts('stores', 'stg_stores', 'silver_stores')
UNION ALL FROM sl_duplicate_counts('orders', 'stg_orders', 'silver_orders')
UNION ALL FROM sl_duplicate_counts('order_items', 'stg_order_items', 'silver_order_items')
UNION ALL FROM sl_duplicate_counts('events', 'stg_events', 'silver_events')
