export { StreamIngestor } from './stream-ingestor.ts';
export type { StreamIngestOptions, RecordRejection } from './stream-ingestor.ts';
export { IS_STREAM_DELIVERY, STREAMS } from './stream-spec.ts';
export type { StreamSpec } from './stream-spec.ts';
export type { SegmentDelivery } from './deliver-segment.ts';
export { JetStreamSource } from './jetstream-source.ts';
export type { JetStreamSourceOptions } from './jetstream-source.ts';
export { compactStreamBronze } from './compact-stream-bronze.ts';
export type { StreamCompaction, CompactOptions } from './compact-stream-bronze.ts';
