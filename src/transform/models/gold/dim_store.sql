SELECT sl_surrogate_key(store_id) AS store_key,
       store_id, store_name, channel, city, state, country, opened_date
FROM silver_stores
UNION ALL
SELECT -1, 'unknown', 'Unknown store', 'unknown', NULL, NULL, NULL, NULL
ORDER BY store_id
