-- Orders and revenue per store, over the built-in star schema.
SELECT s.store_id, s.store_name, count(DISTINCT f.order_id) AS orders, sum(f.net_amount) AS revenue
FROM fact_orders f
JOIN dim_store s USING (store_key)
WHERE f.status IN ('placed', 'shipped', 'delivered')
GROUP BY s.store_id, s.store_name
