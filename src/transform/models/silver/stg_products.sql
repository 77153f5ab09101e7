SELECT
  sl_clean(product_id) AS product_id,
  sl_clean(product_name) AS product_name,
  sl_label(category) AS category,
  sl_label(subcategory) AS subcategory,
  sl_clean(brand) AS brand,
  sl_money(unit_price) AS unit_price,
  sl_money(cost) AS cost,
  coalesce(sl_bool(is_active), true) AS is_active,
  sl_ts(updated_at) AS updated_at,
  CASE WHEN sl_clean(product_id) IS NULL THEN 'missing_key' END AS _reject_reason,
  CASE WHEN sl_clean(product_id) IS NULL THEN 'product_id is empty' END AS _reject_detail,
  CASE WHEN sl_clean(product_id) IS NULL THEN to_json(b)::VARCHAR END AS _raw,
  _source_file, _line, _file_seq, _batch_id
FROM bronze_products b
