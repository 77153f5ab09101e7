-- Every delivered customer record, cleansed and typed; rejected rows carry their reason.
WITH cleaned AS (
  SELECT sl_clean(customer_id) AS customer_id, sl_clean(first_name) AS first_name, sl_clean(last_name) AS last_name,
         sl_clean(email) AS email, sl_clean(phone) AS phone, sl_clean(gender) AS gender, sl_clean(birth_date) AS birth_date,
         sl_clean(city) AS city, sl_clean(state) AS state, sl_clean(country) AS country, sl_clean(signup_date) AS signup_date,
         sl_clean(loyalty_tier) AS loyalty_tier, sl_clean(updated_at) AS updated_at,
         _line, _file_seq
  FROM bronze_customers
)
SELECT customer_id, first_name, last_name,
       sl_email(email) AS email,
       email IS NOT NULL AND NOT sl_email_valid(email) AS email_invalid,
       sl_phone(phone) AS phone, sl_gender(gender) AS gender, sl_date(birth_date) AS birth_date,
       city, state, sl_country(country) AS country, sl_date(signup_date) AS signup_date,
       lower(loyalty_tier) AS loyalty_tier, sl_ts(updated_at) AS updated_at,
       CASE WHEN customer_id IS NULL THEN 'missing_key' END AS _reject_reason,
       CASE WHEN customer_id IS NULL THEN 'customer_id is empty' END AS _reject_detail,
       _line, _file_seq
FROM cleaned
