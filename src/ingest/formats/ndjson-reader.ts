import { literal, type DuckSession } from '../../duck/index.ts';
import type { FormatReader, ReadRequest } from './format-reader.ts';
import { jsonLinesToStaged } from './json-objects.ts';

// One NDJSON record per line; DuckDB allocates a buffer of this size, so it stays modest.
const MAX_LINE_BYTES = 16 << 20;

/**
 * Newline-delimited JSON. Lines are read as raw text first so that every line keeps its
 * number and an invalid line becomes a `malformed_row` reject instead of failing the file.
 */
export const ndjsonReader: FormatReader = {
  format: 'ndjson',
  async stage(db: DuckSession, req: ReadRequest): Promise<string[]> {
    // \x1F (unit separator) never occurs in JSON text, so each line is one field. A BOM can
    // only open line 1; a trailing \r is JSON whitespace and needs no trimming.
    return jsonLinesToStaged(
      db,
      `SELECT _line, CASE WHEN _line = 1 THEN ltrim(line, chr(65279)) ELSE line END AS line
       FROM (SELECT row_number() OVER () AS _line, line
             FROM read_csv(${literal(req.path)}, columns = {'line': 'VARCHAR'}, header = false, delim = ${literal('\x1f')},
                           quote = '', escape = '', auto_detect = false, compression = ${literal(req.compression)},
                           max_line_size = ${MAX_LINE_BYTES}))`,
    );
  },
};
