export { ingestLanding, isDeadAndUnchanged } from './ingest-landing.ts';
export { DeadLetterQueue } from './dead-letter-queue.ts';
export type { DeadLetter, DeadLetterStatus } from './dead-letter-queue.ts';
export type { FileResult, IngestSummary } from './ingest-landing.ts';
export type { FileOutcome, LandingFile } from './ingest-file.ts';
export { discoverLanding } from './discover-landing.ts';
export { entityOfPath } from './entity-of-path.ts';
export { sniffFormat } from './sniff-format.ts';
export { FileLedger } from './file-ledger.ts';
export { pendingLandingFiles } from './pending-landing-files.ts';
export { IngestQueue } from './tasks/ingest-queue.ts';
export { runIngestTask } from './tasks/ingest-task.ts';
export type { IngestTask, IngestTaskResult } from './tasks/ingest-task.ts';
export {
  StreamIngestor,
  STREAMS,
  IS_STREAM_DELIVERY,
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
