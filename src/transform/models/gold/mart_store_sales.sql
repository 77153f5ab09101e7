SELECT store_id, store_name, channel, count(DISTINCT order_id) AS orders, sum(net_amount) AS revenue
FROM int_revenue_lines GROUP BY store_id, store_name, channel ORDER BY revenue DESC, store_id
