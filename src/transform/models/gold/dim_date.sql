-- One row per day from the first to the last order or event date, and the unknown member.
WITH bounds AS (
  SELECT min(d) AS lo, max(d) AS hi
  FROM (SELECT order_ts::DATE AS d FROM silver_orders UNION ALL SELECT event_ts::DATE FROM silver_events)
), days AS (
  SELECT unnest(generate_series(lo, hi, INTERVAL 1 DAY))::DATE AS date FROM bounds WHERE lo IS NOT NULL
)
SELECT sl_date_key(date) AS date_key, date, year(date) AS year, quarter(date) AS quarter,
       month(date) AS month, monthname(date) AS month_name, day(date) AS day, isodow(date) AS day_of_week,
       dayname(date) AS day_name, isodow(date) >= 6 AS is_weekend, weekofyear(date) AS week_of_year
FROM days
UNION ALL
SELECT -1, NULL, NULL, NULL, NULL, 'Unknown', NULL, NULL, 'Unknown', NULL, NULL
ORDER BY date_key
