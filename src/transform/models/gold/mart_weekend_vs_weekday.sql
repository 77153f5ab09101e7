WITH days AS (SELECT is_weekend, count(*) AS days FROM dim_date WHERE date_key > 0 GROUP BY is_weekend),
sales AS (SELECT is_weekend, count(DISTINCT order_id) AS orders, sum(net_amount) AS revenue FROM int_revenue_lines GROUP BY is_weekend)
SELECT d.is_weekend, d.days, coalesce(s.orders, 0) AS orders, coalesce(s.revenue, 0)::DECIMAL(38, 2) AS revenue,
       round(coalesce(s.revenue, 0) / d.days, 2)::DECIMAL(18, 2) AS avg_daily_revenue
FROM days d LEFT JOIN sales s USING (is_weekend) ORDER BY d.is_weekend
