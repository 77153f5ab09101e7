-- The latest version of each customer: latest updated_at, then last file, then last line.
SELECT * EXCLUDE (_reject_reason, _reject_detail, _raw)
FROM stg_customers
WHERE _reject_reason IS NULL
QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC NULLS LAST, _file_seq DESC, _line DESC) = 1
