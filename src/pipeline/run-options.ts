import type { EngineProcessOptions } from '../duck/index.ts';
import type { RestSource } from '../ingest/index.ts';
import type { S3Options } from '../lake/index.ts';
import type { JobQueueOptions } from '../state/index.ts';
import type { ProgressSink } from '../common/index.ts';

export interface RunOptions {
  home: string;
  landing: string;
  fullRefresh?: boolean;
  memoryLimit?: string;
  threads?: number;
  /**
   * The build's DuckDB in a child process at this lower CPU priority (config
   * `engine.buildProcess`), so the process running the pipeline keeps its cores for
   * what must answer quickly; in this process when unset.
   */
  buildProcess?: EngineProcessOptions;
  progress?: ProgressSink;
  /** Attempts to read one landing file before it is dead-lettered, and the first delay between them. */
  fileAttempts?: number;
  retryDelayMs?: number;
  /** Landing files ingested at once in this process (config `ingest.concurrency`). */
  ingestConcurrency?: number;
  /** Paginated JSON APIs the run fetches into the landing zone first. */
  restSources?: readonly RestSource[];
  /** A PostgreSQL warehouse gold is published to as well (config `warehouse`). */
  postgresWarehouse?: { url: string; schema: string; connections?: number };
  /**
   * Ingest, and the models when `models`, on `shoplake worker` processes through these
   * task queues (config `workers`); `idleMs` without a worker taking a task fails the run.
   */
  workers?: JobQueueOptions & { idleMs: number; models?: boolean; modelTasksAtOnce?: number };
  /** How to reach S3 for an s3:// landing zone or lake (config `s3`). */
  s3?: S3Options;
  /** `local`, or an s3:// URL the processed zone is published to as well (config `lake.url`). */
  lakeUrl?: string;
  /** Folders of the project's own models (config `models.paths`), beside the built-in package. */
  modelPaths?: readonly string[];
  /** The day the run processes (YYYY-MM-DD, UTC); today when not given. */
  logicalDate?: string;
}
