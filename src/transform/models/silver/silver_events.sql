-- Events carry no updated_at: the file ingested last wins, then the later line; identical re-sends count once.
FROM sl_latest_version('stg_events', ['event_id'], NULL)
