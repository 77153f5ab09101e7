import { ident, literal, type DuckSession } from '../../duck/index.ts';
import { isContentError, STAGED, STAGED_REJECTS, type FormatReader, type ReadRequest } from './format-reader.ts';
import { jsonLinesToStaged } from './json-objects.ts';

// One NDJSON record per line; DuckDB allocates a buffer of this size, so it stays modest.
const MAX_LINE_BYTES = 16 << 20;

/**
 * Newline-delimited JSON. The fast way reads records with DuckDB's parallel NDJSON reader,
 * whose record number is the line number as long as the file has no empty line. A file
 * with empty lines, or with a line that is not JSON (the fast reader then fails), is read
 * as raw lines instead: every line keeps its number and a bad one becomes a
 * `malformed_row` reject rather than failing the file.
 */
export const ndjsonReader: FormatReader = {
  format: 'ndjson',
  async stage(db: DuckSession, req: ReadRequest): Promise<string[]> {
    if (!req.blankLines) {
      try {
        return await stageNative(db, req);
      } catch (err) {
        if (!isContentError(err)) throw err;
      }
    }
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

/**
 * DuckDB's own NDJSON reader: keys from a scan of the whole file (so a key only late
 * records carry is kept), then every key read as text in one parallel parse.
 */
async function stageNative(db: DuckSession, req: ReadRequest): Promise<string[]> {
  const opts = `compression = ${literal(req.compression === 'gzip' ? 'gzip' : 'uncompressed')}, maximum_object_size = ${MAX_LINE_BYTES}, format = 'newline_delimited'`;
  const keys = (await db.all<{ column_name: string }>(
    `DESCRIBE SELECT * FROM read_json(${literal(req.path)}, ${opts}, records = true, sample_size = -1, maximum_depth = 1)`,
  )).map((c) => c.column_name);
  const columns = `{${keys.map((k) => `${literal(k)}: 'VARCHAR'`).join(', ')}}`;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGED} AS
     SELECT row_number() OVER () AS _line, ${keys.map(ident).join(', ')}
     FROM read_json(${literal(req.path)}, ${opts}, records = true, columns = ${columns})`,
  );
  await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGED_REJECTS} (_line BIGINT, raw VARCHAR, detail VARCHAR)`);
  return keys;
}
