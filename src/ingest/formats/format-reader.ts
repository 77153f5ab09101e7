import type { DuckSession } from '../../duck/index.ts';

/**
 * One reader per file format, each with the same contract: load a landing file into the
 * temp table `staged` (`_line` plus one VARCHAR column per source field, named as the
 * file names it) and its unreadable lines into `staged_rejects` (`_line`, `raw`,
 * `detail`). A new format is a copy of this pattern.
 */
export interface ReadRequest {
  path: string;
  compression: 'gzip' | 'none';
  delimiter?: string;
  /** Bytes of text in the file (inflated for gzip): bounds the largest JSON value. */
  textBytes: number;
  /** The text has empty lines: a reader that skips them must not be trusted with line numbers. */
  blankLines?: boolean;
}

export interface FormatReader {
  readonly format: 'csv' | 'json' | 'ndjson';
  /** Returns the source field names in file order. Throws when the file cannot be parsed. */
  stage(db: DuckSession, req: ReadRequest): Promise<string[]>;
}

export const STAGED = 'staged';
export const STAGED_REJECTS = 'staged_rejects';

/** DuckDB's errors about what it read, as opposed to errors of the machine it runs on. */
export function isContentError(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /^(Invalid Input|Parser|Conversion|Invalid) Error|Malformed|unterminated|Could not convert/i.test(message);
}
