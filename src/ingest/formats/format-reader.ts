import { ident, literal, type DuckSession } from '../../duck/index.ts';

/**
 * One reader per file format, each with the same contract: load a landing file into the
 * temp view `staged` (`_line` plus one VARCHAR column per source field, named as the file
 * names it) over the reader's own temp table `staged_data` or over the file itself, and its unreadable lines into
 * `staged_rejects` (`_line`, `raw`, `detail`). A new format is a copy of this pattern.
 */
export interface ReadRequest {
  path: string;
  compression: 'gzip' | 'none';
  delimiter?: string;
  /** Bytes of text in the file (inflated for gzip): bounds the largest JSON value. */
  textBytes: number;
  /** The text has empty lines, which DuckDB's CSV reader skips without counting them. */
  blankLines?: boolean;
  /** A line starts with a space or tab, so one may hold only blanks. */
  indentedLines?: boolean;
  /**
   * Set by the writer of an NDJSON file that knows it (a stream segment): every line is a
   * JSON object, and these are their keys in order of first appearance; no key pass is made.
   */
  knownKeys?: readonly string[];
}

export interface FormatReader {
  readonly format: 'csv' | 'json' | 'ndjson';
  /** Returns the source field names in file order. Throws when the file cannot be parsed. */
  stage(db: DuckSession, req: ReadRequest): Promise<string[]>;
}

export const STAGED = 'staged';
export const STAGED_REJECTS = 'staged_rejects';
/** The reader's own table under the view `staged`: its rows, or its lines to parse as the view is read. */
export const STAGED_DATA = 'staged_data';

/** Drops what a reader staged on this connection (a large file's lines hold hundreds of MB). */
export async function releaseStaged(db: DuckSession): Promise<void> {
  await db.run(
    `DROP VIEW IF EXISTS ${STAGED}; DROP VIEW IF EXISTS ${STAGED_WHOLE};
     DROP TABLE IF EXISTS ${STAGED_DATA}; DROP TABLE IF EXISTS ${STAGED_REJECTS}`,
  );
}

/** `staged` as the reader left it, under a view `staged` narrowed to some of its lines. */
const STAGED_WHOLE = 'staged_whole';

/** Narrows what a reader staged, its rows and its rejects, to the lines (`_line`) of the table `lines`. */
export async function narrowStaged(db: DuckSession, lines: string): Promise<void> {
  await db.run(`ALTER VIEW ${STAGED} RENAME TO ${STAGED_WHOLE}`);
  await db.run(`CREATE TEMP VIEW ${STAGED} AS SELECT * FROM ${STAGED_WHOLE} SEMI JOIN ${ident(lines)} USING (_line)`);
  await db.run(`DELETE FROM ${STAGED_REJECTS} WHERE _line NOT IN (SELECT _line FROM ${ident(lines)})`);
}

/**
 * Options every reader passes to DuckDB's file readers. A landing file's data is its
 * content: without this, a file under a folder named like a Hive partition
 * (`events/month=2024-10/…`) gets a `month` column from its path, and only when read in
 * place (a gzip file is read from its inflated copy, elsewhere).
 */
export const LANDING_SCAN = 'hive_partitioning = false';

// One NDJSON record per line; DuckDB allocates a buffer of this size, so it stays modest.
export const MAX_LINE_BYTES = 16 << 20;

/**
 * A file's physical lines, one VARCHAR `line` each (NULL for an empty one), in order.
 * \x1F (unit separator) never occurs in JSON text and seldom in CSV, so a line is one field.
 * `new_line = '\r\n'` with strict mode off takes both \n and \r\n as line ends: with
 * either alone, a file mixing the two fails (\n) or counts each \r\n twice. A BOM is dropped.
 */
export function rawLines(req: ReadRequest): string {
  return `read_csv(${literal(req.path)}, columns = {'line': 'VARCHAR'}, header = false, delim = ${literal('\x1f')},
                   quote = '', escape = '', auto_detect = false, compression = ${literal(req.compression)},
                   new_line = '\\r\\n', strict_mode = false, max_line_size = ${MAX_LINE_BYTES}, ${LANDING_SCAN})`;
}

/** DuckDB's errors about what it read, as opposed to errors of the machine it runs on. */
export function isContentError(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /^(Invalid Input|Parser|Conversion|Invalid) Error|Malformed|unterminated|Could not convert/i.test(message);
}
