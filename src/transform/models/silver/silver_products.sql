-- The latest version of each product: latest updated_at, then the file ingested last, then the later line.
FROM sl_latest_version('stg_products', ['product_id'], 'updated_at')
