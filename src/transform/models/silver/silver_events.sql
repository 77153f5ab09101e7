-- Events carry no updated_at: the file ingested last wins, then the later line; identical re-sends count once.
-- The winner of each key is chosen on a narrow projection (rowid and the ordering), then
-- its full row fetched: much cheaper than a window over every column.
SELECT s.* EXCLUDE (_reject_reason, _reject_detail)
FROM stg_events s
SEMI JOIN (
  SELECT arg_max(rowid, row(_file_seq, _line)) AS winner
  FROM stg_events WHERE _reject_reason IS NULL
  GROUP BY event_id
) w ON s.rowid = w.winner
