import { literal, type DuckSession } from '../../duck/index.ts';
import { isContentError, MAX_LINE_BYTES, rawLines, type FormatReader, type ReadRequest } from './format-reader.ts';
import { jsonLinesToStaged } from './json-objects.ts';

/**
 * Newline-delimited JSON. Every record keeps its file line number and a broken line
 * becomes a `malformed_row` reject instead of failing the file.
 *
 * A file that is all records, one per line, with no blank line, is read by DuckDB's JSON
 * reader: the n-th record is then line n, and it splits lines at twice the speed of reading
 * them as one-column CSV. That reader skips blank lines without counting them and stops at
 * a broken line, so any other file is read as raw lines, where line n is row n.
 */
export const ndjsonReader: FormatReader = {
  format: 'ndjson',
  async stage(db: DuckSession, req: ReadRequest): Promise<string[]> {
    if (!req.blankLines && !req.indentedLines) {
      const objects = `read_json_objects(${literal(req.path)}, format = 'newline_delimited', maximum_object_size = ${MAX_LINE_BYTES},
                                         compression = ${literal(req.compression === 'gzip' ? 'gzip' : 'uncompressed')})`;
      try {
        const columns = await jsonLinesToStaged(db, `SELECT json::VARCHAR AS line FROM ${objects}`, { badLines: 'give up' });
        if (columns) return columns;
      } catch (err) {
        if (!isContentError(err)) throw err;
      }
    }
    return jsonLinesToStaged(db, `SELECT line FROM ${rawLines(req)}`, { badLines: 'reject' });
  },
};
