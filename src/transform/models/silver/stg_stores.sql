WITH cleaned AS (
  SELECT sl_clean(store_id) AS store_id, sl_clean(store_name) AS store_name, sl_clean(channel) AS channel,
         sl_clean(city) AS city, sl_clean(state) AS state, sl_clean(country) AS country, sl_clean(opened_date) AS opened_date,
         _line, _file_seq
  FROM bronze_stores
)
SELECT store_id, store_name, lower(channel) AS channel, city, state, sl_country(country) AS country, sl_date(opened_date) AS opened_date,
       CASE WHEN store_id IS NULL THEN 'missing_key' END AS _reject_reason,
       CASE WHEN store_id IS NULL THEN 'store_id is empty' END AS _reject_detail,
       _line, _file_seq
FROM cleaned
