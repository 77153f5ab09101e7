-- Lines carry no updated_at: the file ingested last wins, then the later line.
-- The winner of each key is chosen on a narrow projection (rowid and the ordering), then
-- its full row fetched: much cheaper than a window over every column.
SELECT s.* EXCLUDE (_reject_reason, _reject_detail)
FROM stg_order_items s
SEMI JOIN (
  SELECT arg_max(rowid, row(_file_seq, _line)) AS winner
  FROM stg_order_items WHERE _reject_reason IS NULL
  GROUP BY order_id, line_number
) w ON s.rowid = w.winner
