import { literal, type DuckSession } from '../../duck/index.ts';
import {
  isContentError,
  LANDING_SCAN,
  MAX_LINE_BYTES,
  rawLines,
  type FormatReader,
  type ReadRequest,
} from './format-reader.ts';
import { jsonLinesToStaged, jsonRecordsToStaged } from './json-objects.ts';

/**
 * Newline-delimited JSON. Every record keeps its file line number and a broken line
 * becomes a `malformed_row` reject instead of failing the file.
 *
 * A file that is all records, one per line, with no blank line, is read by DuckDB's JSON
 * reader (the n-th record is then line n) with no copy of its lines. That reader skips
 * blank lines without counting them and stops at a broken line, so any other file is read
 * as raw lines, where line n is row n.
 */
export const ndjsonReader: FormatReader = {
  format: 'ndjson',
  async stage(db: DuckSession, req: ReadRequest): Promise<string[]> {
    if (!req.blankLines && !req.indentedLines) {
      const file = `${literal(req.path)}, format = 'newline_delimited', maximum_object_size = ${MAX_LINE_BYTES},
                    compression = ${literal(req.compression === 'gzip' ? 'gzip' : 'uncompressed')}, ${LANDING_SCAN}`;
      try {
        const columns = await jsonRecordsToStaged(
          db,
          `read_json_objects(${file})`,
          (spec) => `read_json(${file}, columns = ${spec})`,
          req.knownKeys,
        );
        if (columns) return columns;
      } catch (err) {
        if (!isContentError(err)) throw err;
      }
    }
    return jsonLinesToStaged(db, `SELECT line FROM ${rawLines(req)}`);
  },
};
