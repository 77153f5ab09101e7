import type { GroupTiming, SegmentDelivery, StreamSpec } from '../ingest/index.ts';
import type { LiveRefresh } from './live-events.ts';

/** What the real-time path reports as it runs (the server's metrics implement it). */
export interface StreamObserver {
  /** A batch was checked and its good records made durable in `seconds`. */
  accepted(stream: StreamSpec['name'], accepted: number, rejected: number, seconds: number): void;
  /** A group write to a stream's log was made durable. */
  groupWritten(stream: StreamSpec['name'], timing: GroupTiming): void;
  delivered(deliveries: readonly SegmentDelivery[]): void;
  refreshed(refresh: LiveRefresh): void;
}
