SELECT sl_surrogate_key(product_id) AS product_key,
       product_id, product_name, category, subcategory, brand, unit_price, cost, is_active, updated_at
FROM silver_products
UNION ALL
SELECT -1, 'unknown', 'Unknown product', 'unknown', 'unknown', NULL, NULL, NULL, NULL, NULL
ORDER BY product_id
