-- The latest version of each product: latest updated_at, then the file ingested last, then the later line.
-- The winner of each key is chosen on a narrow projection (rowid and the ordering), then
-- its full row fetched: much cheaper than a window over every column.
SELECT s.* EXCLUDE (_reject_reason, _reject_detail)
FROM stg_products s
SEMI JOIN (
  SELECT arg_max(rowid, row(coalesce(updated_at, TIMESTAMP '-infinity'), _file_seq, _line)) AS winner
  FROM stg_products WHERE _reject_reason IS NULL
  GROUP BY product_id
) w ON s.rowid = w.winner
