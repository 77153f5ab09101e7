-- Order lines that count toward revenue (placed, shipped, delivered), with what the marts group by.
SELECT f.order_id, f.line_number, f.quantity, f.net_amount, f.order_ts::DATE AS date, f.date_key,
       d.year, d.month, d.day_of_week, d.day_name, d.is_weekend,
       c.customer_id, s.store_id, s.store_name, s.channel, p.product_id, p.product_name, p.category
FROM fact_orders f
JOIN dim_date d USING (date_key)
JOIN dim_customer c USING (customer_key)
JOIN dim_store s USING (store_key)
JOIN dim_product p USING (product_key)
WHERE f.status IN ('placed', 'shipped', 'delivered')
