/**
 * The state store's schema, as numbered migrations applied in order; a store records the
 * last one it applied and upgrades in place.
 */
export const STATE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE ingested_files (
     seq BIGINT PRIMARY KEY,           -- ingest order: later files win ties (contract §3)
     path VARCHAR NOT NULL,            -- relative to the landing folder
     content_hash VARCHAR NOT NULL,    -- sha256 of the bytes as delivered
     size BIGINT NOT NULL,
     mtime_ms DOUBLE NOT NULL,
     entity VARCHAR,
     status VARCHAR NOT NULL,          -- ingested | quarantined | duplicate
     reason VARCHAR,                   -- contract reason code when quarantined
     detail VARCHAR,
     format VARCHAR,
     compression VARCHAR,
     delimiter VARCHAR,
     rows_ok BIGINT,
     rows_rejected BIGINT,
     bronze_path VARCHAR,
     rejects_path VARCHAR,
     schema_version INTEGER,
     batch_id VARCHAR NOT NULL,
     ingested_at TIMESTAMP NOT NULL
   );
   CREATE TABLE runs (
     run_id VARCHAR PRIMARY KEY,
     started_at TIMESTAMP NOT NULL,
     finished_at TIMESTAMP,
     status VARCHAR NOT NULL,          -- running | success | failed | nothing_new
     mode VARCHAR NOT NULL,            -- incremental | full_refresh
     summary JSON,
     error JSON
   );
   CREATE TABLE schema_versions (
     entity VARCHAR NOT NULL,
     version INTEGER NOT NULL,
     fingerprint VARCHAR NOT NULL,
     columns JSON NOT NULL,
     first_file VARCHAR NOT NULL,
     created_at TIMESTAMP NOT NULL,
     PRIMARY KEY (entity, version)
   );
   CREATE TABLE drift_events (
     entity VARCHAR NOT NULL,
     version INTEGER NOT NULL,
     kind VARCHAR NOT NULL,            -- added | missing | renamed | type_changed
     column_name VARCHAR NOT NULL,
     detail VARCHAR,
     file VARCHAR NOT NULL,
     detected_at TIMESTAMP NOT NULL
   );
   CREATE TABLE kv (key VARCHAR PRIMARY KEY, value VARCHAR);`,
  `CREATE TABLE test_results (
     run_id VARCHAR NOT NULL,
     model VARCHAR NOT NULL,
     test VARCHAR NOT NULL,
     severity VARCHAR NOT NULL,        -- error | warn
     status VARCHAR NOT NULL,          -- pass | fail
     failures BIGINT NOT NULL,
     detail VARCHAR
   );`,
  `CREATE TABLE dag_runs (
     run_id VARCHAR PRIMARY KEY,
     dag VARCHAR NOT NULL,
     logical_date DATE NOT NULL,       -- the day the run processes
     run_type VARCHAR NOT NULL,        -- manual | scheduled | backfill | landing | dataset | replay
     state VARCHAR NOT NULL,           -- queued | running | success | failed | skipped
     conf JSON,
     queued_at TIMESTAMP NOT NULL,
     started_at TIMESTAMP,
     finished_at TIMESTAMP,
     error JSON
   );
   CREATE TABLE task_instances (
     run_id VARCHAR NOT NULL,
     task VARCHAR NOT NULL,
     task_group VARCHAR,
     state VARCHAR NOT NULL,           -- queued | running | success | failed | up_for_retry | skipped | upstream_failed
     attempt INTEGER NOT NULL,
     started_at TIMESTAMP,
     finished_at TIMESTAMP,
     duration_ms BIGINT,
     error JSON,
     output JSON,
     PRIMARY KEY (run_id, task)
   );
   CREATE TABLE task_logs (
     run_id VARCHAR NOT NULL,
     task VARCHAR NOT NULL,
     attempt INTEGER NOT NULL,
     logged_at TIMESTAMP NOT NULL,
     message VARCHAR NOT NULL
   );`,
  `CREATE TABLE dead_letters (
     id VARCHAR PRIMARY KEY,           -- dl-<n>
     kind VARCHAR NOT NULL,            -- landing_file
     subject VARCHAR NOT NULL,         -- the landing path, relative to the landing folder
     size BIGINT,                      -- the file as it was when it failed: a changed file is tried again
     mtime_ms DOUBLE,
     error_code VARCHAR NOT NULL,
     error VARCHAR NOT NULL,
     attempts INTEGER NOT NULL,        -- every attempt, over every run and replay
     status VARCHAR NOT NULL,          -- dead | replaying | resolved
     run_id VARCHAR,                   -- the run that gave up on it last
     first_failed_at TIMESTAMP NOT NULL,
     last_failed_at TIMESTAMP NOT NULL,
     resolved_at TIMESTAMP,
     resolved_by VARCHAR               -- the run that finally ingested it
   );`,
  `CREATE TABLE stream_ids (
     stream VARCHAR NOT NULL,          -- events | orders
     id VARCHAR NOT NULL               -- a record's identity: event_id, or an order record's content hash
   );`,
  `ALTER TABLE stream_ids ADD COLUMN delivered_at TIMESTAMP;  -- identities older than
                                                             -- collector.dedupWindowMinutes are forgotten
   CREATE INDEX ingested_files_path ON ingested_files (path);`,
];
