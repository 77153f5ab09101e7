SELECT day_of_week, day_name, count(DISTINCT order_id) AS orders, sum(net_amount) AS revenue
FROM int_revenue_lines GROUP BY day_of_week, day_name ORDER BY day_of_week
