-- Every delivered customer record, cleansed and typed; rejected rows carry their reason.
SELECT
  sl_clean(customer_id) AS customer_id,
  sl_clean(first_name) AS first_name,
  sl_clean(last_name) AS last_name,
  sl_email(email) AS email,
  sl_email_text(email) IS NOT NULL AND sl_email(email) IS NULL AS email_invalid,
  sl_phone(phone) AS phone,
  sl_gender(gender) AS gender,
  sl_date(birth_date) AS birth_date,
  sl_clean(city) AS city,
  sl_clean(state) AS state,
  sl_country(country) AS country,
  sl_date(signup_date) AS signup_date,
  sl_lower(loyalty_tier) AS loyalty_tier,
  sl_ts(updated_at) AS updated_at,
  CASE WHEN sl_clean(customer_id) IS NULL THEN 'missing_key' END AS _reject_reason,
  CASE WHEN sl_clean(customer_id) IS NULL THEN 'customer_id is empty' END AS _reject_detail,
  CASE WHEN sl_clean(customer_id) IS NULL THEN to_json(b)::VARCHAR END AS _raw,
  _source_file, _line, _file_seq, _batch_id
FROM bronze_customers b
