SELECT * EXCLUDE (_reject_reason, _reject_detail, _raw)
FROM stg_products
WHERE _reject_reason IS NULL
QUALIFY row_number() OVER (PARTITION BY product_id ORDER BY updated_at DESC NULLS LAST, _file_seq DESC, _line DESC) = 1
