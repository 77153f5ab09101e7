SELECT year, month, count(DISTINCT order_id) AS orders, sum(net_amount) AS revenue
FROM int_revenue_lines GROUP BY year, month ORDER BY year, month
