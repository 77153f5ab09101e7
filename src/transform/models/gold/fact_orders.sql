-- One row per order line. The customer is the dim_customer version valid at order_ts (the
-- earliest version when the order predates the customer's history); unknown members are -1.
SELECT li.order_id, li.line_number,
       sl_date_key(o.order_ts) AS date_key,
       o.order_ts,
       coalesce(c.customer_key, fv.customer_key, -1)::BIGINT AS customer_key,
       coalesce(p.product_key, -1)::BIGINT AS product_key,
       coalesce(s.store_key, -1)::BIGINT AS store_key,
       o.status, o.payment_method, li.quantity, li.unit_price, li.discount,
       round(li.quantity * li.unit_price, 2)::DECIMAL(18, 2) AS gross_amount,
       round(li.quantity * li.unit_price - li.discount, 2)::DECIMAL(18, 2) AS net_amount
FROM silver_order_items li
JOIN silver_orders o USING (order_id)
-- The first version by a plain hash join; later versions by ASOF (the latest whose
-- valid_from is at or before order_ts), which then only sorts the few customers that
-- changed instead of every customer.
LEFT JOIN dim_customer fv ON fv.customer_key > 0 AND fv.version = 1 AND fv.customer_id = o.customer_id
ASOF LEFT JOIN (SELECT customer_id, valid_from, customer_key FROM dim_customer WHERE customer_key > 0 AND version > 1) c
  ON c.customer_id = o.customer_id AND o.order_ts >= c.valid_from
LEFT JOIN dim_product p ON p.product_key > 0 AND p.product_id = li.product_id
LEFT JOIN dim_store s ON s.store_key > 0 AND s.store_id = o.store_id
