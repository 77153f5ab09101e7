export interface LandingFile {
  /** Path relative to the landing folder, `/`-separated. */
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

/**
 * One ledger row: an ingested or quarantined file, or a duplicate delivery, which has only
 * the identifying fields. Lake paths are absolute here and stored relative to the home.
 */
export interface LedgerEntry {
  file: LandingFile;
  seq: number;
  hash: string;
  entity: string | undefined;
  status: 'ingested' | 'quarantined' | 'duplicate';
  reason?: string;
  detail?: string;
  format?: string;
  compression?: string;
  delimiter?: string;
  rowsOk?: number;
  rowsRejected?: number;
  bronzePath?: string;
  rejectsPath?: string;
  schemaVersion?: number;
}
