-- Lines have no updated_at: the file ingested last wins, then the later line.
SELECT * EXCLUDE (_reject_reason, _reject_detail, _raw)
FROM stg_order_items
WHERE _reject_reason IS NULL
QUALIFY row_number() OVER (PARTITION BY order_id, line_number ORDER BY _file_seq DESC, _line DESC) = 1
