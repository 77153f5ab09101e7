export { ingestLanding, isDeadAndUnchanged } from './ingest-landing.ts';
export { DeadLetterQueue } from './dead-letter-queue.ts';
export type { DeadLetter, DeadLetterStatus } from './dead-letter-queue.ts';
export type { IngestSummary } from './ingest-landing.ts';
export type { FileOutcome, FileResult } from './file-outcome.ts';
export type { LandingFile } from '../ledger/index.ts';
export { discoverLanding } from './discover-landing.ts';
export { sniffFormat } from './sniff-format.ts';
export { pendingLandingFiles } from './pending-landing-files.ts';
export { IngestQueue } from './tasks/ingest-queue.ts';
export { runIngestTask } from './tasks/ingest-task.ts';
export type { IngestTask, IngestTaskResult } from './tasks/ingest-task.ts';
export {
  StreamIngestor,
  STREAMS,
  JetStreamSource,
  compactStreamBronze,
  openStreamDb,
  parseBatchBody,
  prepareBatch,
  BatchParsers,
} from './stream/index.ts';
export type {
  StreamSpec,
  SegmentDelivery,
  GroupTiming,
  RecordRejection,
  StreamCompaction,
  PreparedBatch,
} from './stream/index.ts';
export { fetchRestSource, RestSourceSchema } from './rest/index.ts';
export type { RestSource, RestFetchResult } from './rest/index.ts';
export { LandingSchema, IngestConfigSchema, SourcesConfigSchema } from './ingest-config.ts';
export type { IngestConfig, SourcesConfig } from './ingest-config.ts';
