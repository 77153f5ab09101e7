SELECT product_id, product_name, category, sum(quantity) AS items_sold, sum(net_amount) AS revenue,
       rank() OVER (ORDER BY sum(net_amount) DESC)::INTEGER AS revenue_rank
FROM int_revenue_lines GROUP BY product_id, product_name, category ORDER BY revenue_rank, product_id
