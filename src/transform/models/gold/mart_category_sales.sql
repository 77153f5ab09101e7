SELECT category, sum(quantity) AS items_sold, sum(net_amount) AS revenue
FROM int_revenue_lines GROUP BY category ORDER BY revenue DESC, category
