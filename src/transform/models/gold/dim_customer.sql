-- SCD type 2 over every customer record ever delivered, in updated_at order. A record whose
-- tracked attributes (email, phone, last_name, city, state, country, loyalty_tier) equal the
-- version before it adds no version; other attributes take the version's latest record.
WITH recs AS (
  SELECT *, row(email, phone, last_name, city, state, country, loyalty_tier) AS tracked
  FROM stg_customers WHERE _reject_reason IS NULL
), marked AS (
  SELECT *, lag(tracked) OVER w IS DISTINCT FROM tracked OR lag(tracked) OVER w IS NULL AS starts_version
  FROM recs
  WINDOW w AS (PARTITION BY customer_id ORDER BY updated_at NULLS FIRST, _file_seq, _line)
), numbered AS (
  SELECT *,
    sum(starts_version::INTEGER) OVER (PARTITION BY customer_id ORDER BY updated_at NULLS FIRST, _file_seq, _line ROWS UNBOUNDED PRECEDING) AS version_no
  FROM marked
), versions AS (
  SELECT *,
    min(updated_at) OVER (PARTITION BY customer_id, version_no) AS version_start
  FROM numbered
  QUALIFY row_number() OVER (PARTITION BY customer_id, version_no ORDER BY updated_at DESC NULLS LAST, _file_seq DESC, _line DESC) = 1
), dated AS (
  SELECT *,
    CASE WHEN version_no = 1 THEN coalesce(signup_date::TIMESTAMP, version_start) ELSE version_start END AS valid_from
  FROM versions
)
SELECT sl_surrogate_key(customer_id || '|' || version_no) AS customer_key,
       customer_id, first_name, last_name, email, phone, gender, birth_date, city, state, country, signup_date, loyalty_tier,
       version_no::INTEGER AS version, valid_from,
       lead(valid_from) OVER (PARTITION BY customer_id ORDER BY version_no) AS valid_to,
       lead(valid_from) OVER (PARTITION BY customer_id ORDER BY version_no) IS NULL AS is_current
FROM dated
UNION ALL
SELECT -1, 'unknown', NULL, NULL, NULL, NULL, 'unknown', NULL, NULL, NULL, NULL, NULL, NULL, 1, TIMESTAMP '1900-01-01', NULL, true
ORDER BY customer_id, version
