-- The latest version of each customer: latest updated_at, then the file ingested last, then the later line.
FROM sl_latest_version('stg_customers', ['customer_id'], 'updated_at')
