-- The live overlay keeps these figures incrementally between builds (src/transform/live-marts.ts): a change here is a change there.
-- Read from silver: active_customers counts customer ids as delivered, known or not.
SELECT event_ts::DATE AS date,
       count(DISTINCT customer_id) AS active_customers,
       count(DISTINCT session_id) AS sessions,
       count(*) FILTER (WHERE event_type = 'page_view') AS page_views,
       count(*) FILTER (WHERE event_type = 'product_view') AS product_views,
       count(*) FILTER (WHERE event_type = 'add_to_cart') AS add_to_carts,
       count(*) FILTER (WHERE event_type = 'purchase') AS purchases,
       count(DISTINCT session_id) FILTER (WHERE event_type = 'purchase') / count(DISTINCT session_id) AS conversion_rate
FROM silver_events GROUP BY date ORDER BY date
