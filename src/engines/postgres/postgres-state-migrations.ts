/**
 * The PostgreSQL state store's schema, as numbered migrations applied in order; a
 * database records the last one it applied (`schema_migrations`) and is upgraded in
 * place. Version 1 is the run history alone (what shoplake kept in PostgreSQL first);
 * version 2 adds what the home's DuckDB state file holds, with the same columns in the
 * same order, so one SQL text serves both engines.
 */
export const POSTGRES_STATE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE dag_runs (
     run_id TEXT PRIMARY KEY,
     dag TEXT NOT NULL,
     logical_date DATE NOT NULL,
     run_type TEXT NOT NULL,
     state TEXT NOT NULL,
     conf JSONB,
     queued_at TIMESTAMPTZ NOT NULL,
     started_at TIMESTAMPTZ,
     finished_at TIMESTAMPTZ,
     error JSONB
   );
   CREATE INDEX dag_runs_dag_date ON dag_runs (dag, logical_date);
   CREATE INDEX dag_runs_state ON dag_runs (state, queued_at);
   CREATE TABLE task_instances (
     run_id TEXT NOT NULL REFERENCES dag_runs (run_id) ON DELETE CASCADE,
     task TEXT NOT NULL,
     task_group TEXT,
     state TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     started_at TIMESTAMPTZ,
     finished_at TIMESTAMPTZ,
     duration_ms BIGINT,
     error JSONB,
     output JSONB,
     PRIMARY KEY (run_id, task)
   );
   CREATE TABLE task_logs (
     seq BIGSERIAL PRIMARY KEY,
     run_id TEXT NOT NULL,
     task TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     logged_at TIMESTAMPTZ NOT NULL,
     message TEXT NOT NULL
   );
   CREATE INDEX task_logs_run ON task_logs (run_id, task);`,
  `CREATE TABLE ingested_files (
     seq BIGINT PRIMARY KEY,
     path TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     size BIGINT NOT NULL,
     mtime_ms DOUBLE PRECISION NOT NULL,
     entity TEXT,
     status TEXT NOT NULL,
     reason TEXT,
     detail TEXT,
     format TEXT,
     compression TEXT,
     delimiter TEXT,
     rows_ok BIGINT,
     rows_rejected BIGINT,
     bronze_path TEXT,
     rejects_path TEXT,
     schema_version INTEGER,
     batch_id TEXT NOT NULL,
     ingested_at TIMESTAMP NOT NULL
   );
   CREATE INDEX ingested_files_path ON ingested_files (path);
   CREATE INDEX ingested_files_status ON ingested_files (status, entity);
   CREATE TABLE runs (
     run_id TEXT PRIMARY KEY,
     started_at TIMESTAMP NOT NULL,
     finished_at TIMESTAMP,
     status TEXT NOT NULL,
     mode TEXT NOT NULL,
     summary JSON,
     error JSON
   );
   CREATE INDEX runs_started ON runs (started_at);
   CREATE TABLE schema_versions (
     entity TEXT NOT NULL,
     version INTEGER NOT NULL,
     fingerprint TEXT NOT NULL,
     columns JSON NOT NULL,
     first_file TEXT NOT NULL,
     created_at TIMESTAMP NOT NULL,
     PRIMARY KEY (entity, version)
   );
   CREATE TABLE drift_events (
     entity TEXT NOT NULL,
     version INTEGER NOT NULL,
     kind TEXT NOT NULL,
     column_name TEXT NOT NULL,
     detail TEXT,
     file TEXT NOT NULL,
     detected_at TIMESTAMP NOT NULL
   );
   CREATE INDEX drift_events_entity ON drift_events (entity, version);
   CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT);
   CREATE TABLE test_results (
     run_id TEXT NOT NULL,
     model TEXT NOT NULL,
     test TEXT NOT NULL,
     severity TEXT NOT NULL,
     status TEXT NOT NULL,
     failures BIGINT NOT NULL,
     detail TEXT
   );
   CREATE INDEX test_results_run ON test_results (run_id);
   CREATE TABLE dead_letters (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     subject TEXT NOT NULL,
     size BIGINT,
     mtime_ms DOUBLE PRECISION,
     error_code TEXT NOT NULL,
     error TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     status TEXT NOT NULL,
     run_id TEXT,
     first_failed_at TIMESTAMP NOT NULL,
     last_failed_at TIMESTAMP NOT NULL,
     resolved_at TIMESTAMP,
     resolved_by TEXT
   );
   CREATE INDEX dead_letters_subject ON dead_letters (subject, status);`,
];
