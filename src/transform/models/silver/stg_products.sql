WITH cleaned AS (
  SELECT sl_clean(product_id) AS product_id, sl_clean(product_name) AS product_name, sl_clean(category) AS category,
         sl_clean(subcategory) AS subcategory, sl_clean(brand) AS brand, sl_clean(unit_price) AS unit_price,
         sl_clean(cost) AS cost, sl_clean(is_active) AS is_active, sl_clean(updated_at) AS updated_at,
         _line, _file_seq
  FROM bronze_products
)
SELECT product_id, product_name, sl_label(category) AS category, sl_label(subcategory) AS subcategory, brand,
       sl_money(unit_price) AS unit_price, sl_money(cost) AS cost, coalesce(sl_bool(is_active), true) AS is_active,
       sl_ts(updated_at) AS updated_at,
       CASE WHEN product_id IS NULL THEN 'missing_key' END AS _reject_reason,
       CASE WHEN product_id IS NULL THEN 'product_id is empty' END AS _reject_detail,
       _line, _file_seq
FROM cleaned
