-- The latest version of each customer: latest updated_at, then the file ingested last, then the later line.
-- The winner of each key is chosen on a narrow projection (its row key and the ordering),
-- then its full row fetched: much cheaper than a window over every column. A row key of
-- its own, not rowid: the step before is a table here, a Parquet file on a worker. The
-- file's name and batch come from bronze_files (staging carries only _file_seq).
SELECT s.* EXCLUDE (_reject_reason, _reject_detail, _line, _file_seq), f._source_file, s._line, s._file_seq, f._batch_id
FROM stg_customers s
JOIN bronze_files f USING (_file_seq)
SEMI JOIN (
  SELECT arg_max(sl_row_key(_file_seq, _line), row(coalesce(updated_at, TIMESTAMP '-infinity'), _file_seq, _line)) AS winner
  FROM stg_customers WHERE _reject_reason IS NULL
  GROUP BY customer_id
) w ON sl_row_key(s._file_seq, s._line) = w.winner
