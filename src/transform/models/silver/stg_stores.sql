SELECT
  sl_clean(store_id) AS store_id,
  sl_clean(store_name) AS store_name,
  sl_lower(channel) AS channel,
  sl_clean(city) AS city,
  sl_clean(state) AS state,
  sl_country(country) AS country,
  sl_date(opened_date) AS opened_date,
  CASE WHEN sl_clean(store_id) IS NULL THEN 'missing_key' END AS _reject_reason,
  CASE WHEN sl_clean(store_id) IS NULL THEN 'store_id is empty' END AS _reject_detail,
  CASE WHEN sl_clean(store_id) IS NULL THEN to_json(b)::VARCHAR END AS _raw,
  _source_file, _line, _file_seq, _batch_id
FROM bronze_stores b
