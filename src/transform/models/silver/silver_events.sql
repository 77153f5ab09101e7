SELECT * EXCLUDE (_reject_reason, _reject_detail, _raw)
FROM stg_events
WHERE _reject_reason IS NULL
QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY _file_seq DESC, _line DESC) = 1
