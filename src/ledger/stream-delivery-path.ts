/** The ledger path of a delivered stream segment: what tells a stream delivery from a landing file. */
export function streamLedgerPath(stream: string, segmentName: string): string {
  return `stream/${stream}/${segmentName}.ndjson`;
}

/**
 * SQL (either state store) true for the ledger rows of stream deliveries. Matched by the
 * whole shape of the path, so a landing folder that happens to be named `stream` is not
 * taken for one. The ledger's own: other modules ask the ledger instead of filtering.
 */
export const IS_STREAM_DELIVERY = "path LIKE 'stream/%/seg-%.ndjson'";
