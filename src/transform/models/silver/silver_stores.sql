-- Stores carry no updated_at: the file ingested last wins, then the later line.
-- The winner of each key is chosen on a narrow projection (rowid and the ordering), then
-- its full row fetched: much cheaper than a window over every column.
SELECT s.* EXCLUDE (_reject_reason, _reject_detail)
FROM stg_stores s
SEMI JOIN (
  SELECT arg_max(rowid, row(_file_seq, _line)) AS winner
  FROM stg_stores WHERE _reject_reason IS NULL
  GROUP BY store_id
) w ON s.rowid = w.winner
