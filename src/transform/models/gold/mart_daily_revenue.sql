SELECT date, count(DISTINCT order_id) AS orders, sum(quantity) AS items_sold, sum(net_amount) AS revenue,
       round(sum(net_amount) / count(DISTINCT order_id), 2)::DECIMAL(18, 2) AS avg_order_value
FROM int_revenue_lines GROUP BY date ORDER BY date
