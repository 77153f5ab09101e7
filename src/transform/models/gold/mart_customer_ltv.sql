-- Recency counts to the last order date in the data; R, F and M are quintiles (5 = best).
WITH per_customer AS (
  SELECT customer_id, min(date) AS first_order_date, max(date) AS last_order_date,
         count(DISTINCT order_id) AS orders, sum(net_amount) AS revenue
  FROM int_revenue_lines GROUP BY customer_id
), scored AS (
  SELECT *, round(revenue / orders, 2)::DECIMAL(18, 2) AS avg_order_value,
         date_diff('day', last_order_date, (SELECT max(date) FROM int_revenue_lines)) AS recency_days,
         ntile(5) OVER (ORDER BY last_order_date, customer_id) AS r,
         ntile(5) OVER (ORDER BY orders, customer_id) AS f,
         ntile(5) OVER (ORDER BY revenue, customer_id) AS m
  FROM per_customer WHERE customer_id <> 'unknown'
)
SELECT customer_id, first_order_date, last_order_date, orders, revenue, avg_order_value, recency_days,
       CASE WHEN r >= 4 AND f >= 4 AND m >= 4 THEN 'Champions'
            WHEN f >= 4 THEN 'Loyal'
            WHEN r = 5 AND f <= 2 THEN 'New'
            WHEN r >= 4 THEN 'Potential loyalist'
            WHEN r <= 2 AND (f >= 3 OR m >= 4) THEN 'At risk'
            WHEN r <= 2 THEN 'Hibernating'
            ELSE 'Needs attention' END AS rfm_segment
FROM scored
UNION ALL
SELECT customer_id, first_order_date, last_order_date, orders, revenue, round(revenue / orders, 2)::DECIMAL(18, 2),
       date_diff('day', last_order_date, (SELECT max(date) FROM int_revenue_lines)), 'Unknown'
FROM per_customer WHERE customer_id = 'unknown'
ORDER BY revenue DESC, customer_id
