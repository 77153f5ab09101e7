/**
 * Every error code shoplake throws, sends over HTTP or prints: the one list scripts and
 * API clients may match on. Each entry says in one line what went wrong and what to do.
 * `src/errors/error-codes.test.ts` fails when code throws a code not listed here, or when
 * an entry is no longer used anywhere.
 */
export const ERROR_CODES = {
  // Config and command-line usage
  config_env_missing: 'the config uses ${NAME} and that environment variable is not set; export it',
  config_invalid: 'the config does not match its schema; fix the fields named in the message',
  config_syntax: 'the config file is not valid JSON or YAML; fix its syntax',
  config_unreadable: 'the config file cannot be read; check the path and its permissions',
  bad_option: 'a command-line option is missing or has a value it does not take; see the command help',
  bad_logical_date: 'the logical date is not YYYY-MM-DD; give the day as e.g. 2024-03-01',
  bad_date_range: 'a backfill range is not two YYYY-MM-DD days in order, or is too long; fix or split it',
  internal: 'an unexpected error that is not a shoplake error (or a code this side does not know); see the message',

  // The home, the state store, workers and the running server
  home_busy: 'a home database is in use by another process; wait for the run to finish and try again',
  home_empty: 'nothing has run in this home yet; run `shoplake run` first',
  project_exists:
    'the folder given to `shoplake init` holds a shoplake.yaml already; run shoplake there, or pick another',
  home_locked: 'another shoplake process owns this home; wait for it, or send the command to the running server',
  state_locked:
    'another shoplake process owns the PostgreSQL state schema; wait for it, or give this home its own schema',
  state_ownership_lost:
    'this process lost its claim on the state store while disconnected; stop it, one process per schema',
  state_unreachable: 'the PostgreSQL state store cannot be used; check state.url and that PostgreSQL runs',
  queue_unavailable: 'the task queue in the PostgreSQL state store is not reachable; check state.url and PostgreSQL',
  no_workers: 'no worker took a queued task in time; start `shoplake worker`, or turn workers off in the config',
  worker_needs_postgres: 'a worker takes its tasks from a PostgreSQL state store; pass --state postgres://…',
  worker_failed: 'a worker failed an ingest task after its attempts (a dead letter); see the worker log, then replay',
  server_unreachable: 'the shoplake server named in server.json did not answer; is `shoplake serve` still running?',

  // DAGs, runs and tasks
  graph_cycle: 'the dependencies form a cycle; break it in the declarations',
  graph_duplicate_node: 'two tasks or models have the same name; give each a unique name',
  graph_unknown_dependency: 'a dependency names a task or model that does not exist; declare it or remove it',
  dag_file_invalid: 'a DAG file does not load or does not export DAGs made with defineDag(); fix or unlist it',
  dag_invalid: 'a DAG declaration is invalid (its name, limits, or a name used twice); fix the declaration',
  dag_not_found: 'no DAG has that name; `shoplake dags` lists them',
  bad_schedule: 'a DAG schedule is not a cron expression; use five or six cron fields',
  run_exists: 'the DAG already has a run for that logical date; backfill with --reprocess all, or wait for it',
  run_not_found: 'no run has that id; `shoplake runs` lists them',
  run_orphaned: 'the run was still queued or running when its process ended; it is marked failed, run it again',
  task_timeout: 'a task did not finish within its timeout; raise the timeout or find what makes it slow',
  task_error: 'a task failed with an error that is not a shoplake error; see the message, it is tried again',

  // Ingest: landing files, the dead-letter queue, REST API sources and JetStream
  landing_missing: 'the landing folder does not exist; pass --landing, set `landing`, or `shoplake generate`',
  ingest_error: 'a landing file failed every ingest attempt with an error without a code (a dead letter); replay',
  dead_letter_not_found: 'no dead letter has that id; `shoplake dlq list` lists them',
  dead_letter_resolved: 'the dead letter was already ingested (replayed or delivered again); nothing to replay',
  api_bad_page: 'a REST source page did not hold a list at recordsPath; set recordsPath for the source',
  api_refused: 'a REST source answered a 4xx status; check its URL and credentials',
  api_unavailable: 'a REST source kept failing (429, 5xx, network); the next run resumes from the saved cursor',
  api_fetch_failed: 'one or more REST sources failed in the run; pages already landed stay, a retry resumes',
  nats_unreachable: 'NATS cannot be reached; check streaming.nats.url and that nats-server runs with JetStream',

  // The DuckDB engine
  engine_process_exited: "the build's DuckDB process exited (out of memory or killed); the next attempt starts one",
  engine_process_failed:
    "the build's DuckDB process could not start; set engine.buildProcess: inline to build in-process",
  param_not_portable: 'a DuckDB value object cannot be sent to the engine process; bind a plain value and cast in SQL',
  session_closed: 'a statement was sent to a closed DuckDB connection; a bug in shoplake, please report it',

  // Models and the pipeline
  model_declaration_invalid: 'a model file does not default-export a declaration named after the file; fix the export',
  model_sql_missing: 'a model has no SQL file beside its declaration; create it',
  model_path_missing: 'a folder of models.paths cannot be read; fix the path in shoplake.yaml',
  model_sql_invalid: "a model's SQL is not one statement DuckDB can parse; fix it at the position given",
  model_unknown_table: 'a model reads a table that is no model or source; fix the name or add the model',
  model_missing: 'the live overlay needs a model that is not declared; restore the model',
  model_failed: 'a model or its blocking data test failed; the warehouse keeps its last good state, fix and rerun',
  model_task_failed: "a model failed on a worker after its attempts; see the worker's log, it is tried again",
  build_not_open: 'a task needs the build database before the catalog task opened it; run the DAG from its start',

  // The lake (S3) and the warehouse
  s3_failed: 'an S3 request failed after its attempts; check the endpoint, bucket and credentials',
  warehouse_empty: 'nothing has been published to the warehouse yet; run the daily DAG first',
  warehouse_unavailable: 'the PostgreSQL warehouse does not answer; check the server, the page retries',
  warehouse_publish_failed: 'publishing to the PostgreSQL warehouse failed; check the server and run again',
  warehouse_index_failed: 'the publish is visible but some indexes did not build; the next publish builds them',
  warehouse_key_violated: "a published table's key is not unique or has nulls; check the model and its tests",

  // Read-only SQL against the warehouse
  query_invalid: 'the SQL does not parse or names unknown tables; check it against the data model',
  query_refused: 'only one SELECT (or EXPLAIN) at a time runs; the warehouse is read-only',
  query_failed: 'the query failed while running; check the SQL, `shoplake catalog` lists the tables',

  // The HTTP API and the collector
  bad_request: 'the request (query, body or fields) is invalid; the message names what, see the README API section',
  route_not_found: 'no API route has that method and path; see the API section of the README',
  unauthorized: 'the collector needs a valid bearer token; send Authorization: Bearer <collector.token>',
  buffer_full: 'the collector buffer is full (HTTP 429); retry after the Retry-After seconds',
  upload_empty: 'the uploaded file is empty; pick a file with data',
  upload_too_large: 'the upload is over the size limit (HTTP 413); split it, or drop it into the landing folder',
  port_unavailable: 'the server cannot listen on the port (in use or not allowed); pass --port or set server.port',

  // Alerts
  alert_webhook_failed: 'an alert webhook answered with an error status; check the URL in alerts.webhooks',
} as const satisfies Record<string, string>;

/** A code shoplake throws, sends or prints; an unregistered literal does not compile. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether `s` (a code read from JSON, another process or HTTP) is one shoplake knows. */
export function isErrorCode(s: unknown): s is ErrorCode {
  return typeof s === 'string' && Object.hasOwn(ERROR_CODES, s);
}
