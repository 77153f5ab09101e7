-- An order's latest record wins (placed -> delivered -> returned may arrive days apart).
-- The winner of each key is chosen on a narrow projection (rowid and the ordering), then
-- its full row fetched: much cheaper than a window over every column.
SELECT s.* EXCLUDE (_reject_reason, _reject_detail)
FROM stg_orders s
SEMI JOIN (
  SELECT arg_max(rowid, row(coalesce(updated_at, TIMESTAMP '-infinity'), _file_seq, _line)) AS winner
  FROM stg_orders WHERE _reject_reason IS NULL
  GROUP BY order_id
) w ON s.rowid = w.winner
