-- Stores carry no updated_at: the file ingested last wins, then the later line.
FROM sl_latest_version('stg_stores', ['store_id'], NULL)
