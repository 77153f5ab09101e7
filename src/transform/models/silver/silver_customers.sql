-- The latest version of each customer: latest updated_at, then the file ingested last, then the later line.
-- The winner of each key is chosen on a narrow projection (rowid and the ordering), then
-- its full row fetched: much cheaper than a window over every column.
SELECT s.* EXCLUDE (_reject_reason, _reject_detail)
FROM stg_customers s
SEMI JOIN (
  SELECT arg_max(rowid, row(coalesce(updated_at, TIMESTAMP '-infinity'), _file_seq, _line)) AS winner
  FROM stg_customers WHERE _reject_reason IS NULL
  GROUP BY customer_id
) w ON s.rowid = w.winner
