export { ingestLanding } from './ingest-landing.ts';
export type { FileResult, IngestSummary } from './ingest-landing.ts';
export type { FileOutcome, LandingFile } from './ingest-file.ts';
export { discoverLanding } from './discover-landing.ts';
export { entityOfPath } from './entity-of-path.ts';
export { sniffFormat } from './sniff-format.ts';
export { FileLedger } from './file-ledger.ts';
