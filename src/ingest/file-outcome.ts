import type { EntityName, FileRejectReason } from '../contract/index.ts';
import type { CatalogColumn, DriftEvent } from '../catalog/index.ts';
import type { LandingFile } from '../ledger/index.ts';

export interface FileOutcome {
  file: LandingFile;
  seq: number;
  hash: string;
  entity: EntityName | undefined;
  status: 'ingested' | 'quarantined';
  reason?: FileRejectReason;
  detail?: string;
  format?: string;
  compression?: string;
  delimiter?: string;
  rowsOk: number;
  rowsRejected: number;
  bronzePath?: string;
  rejectsPath?: string;
  schemaVersion?: number;
  drift: DriftEvent[];
  /** The file's columns as discovered (source, canonical target, inferred type). */
  columns?: CatalogColumn[];
}

export type FileResult =
  | FileOutcome
  | { file: LandingFile; status: 'duplicate'; hash: string; detail: string }
  /** Failed every attempt of this run: now in the dead-letter queue as `deadLetter`. */
  | { file: LandingFile; status: 'failed'; error: string; attempts: number; deadLetter: string }
  /** In the dead-letter queue from an earlier run and unchanged since: left alone until replayed. */
  | { file: LandingFile; status: 'dead_lettered'; deadLetter: string };
