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
    // \x1F (unit separator) never occurs in JSON text, so each line is one field.
    await db.run(
      `CREATE OR REPLACE TEMP TABLE json_lines AS
       SELECT row_number() OVER () AS _line, rtrim(ltrim(line, chr(65279)), chr(13)) AS line
       FROM read_csv(${literal(req.path)}, columns = {'line': 'VARCHAR'}, header = false, delim = ${literal('\x1f')},
                     quote = '', escape = '', auto_detect = false, compression = ${literal(req.compression)},
                     max_line_size = ${MAX_LINE_BYTES})`,
    );
    try {
      return await jsonLinesToStaged(db);
    } finally {
      await db.run('DROP TABLE IF EXISTS json_lines');
    }
  },
};
