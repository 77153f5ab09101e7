import { literal, type DuckSession } from '../../duck/index.ts';
import { STAGED_REJECTS, type FormatReader, type ReadRequest } from './format-reader.ts';
import { objectsToStaged } from './json-objects.ts';

/**
 * Newline-delimited JSON. Lines are read as raw text first so that every line keeps its
 * number and an invalid line becomes a `malformed_row` reject instead of failing the file.
 */
export const ndjsonReader: FormatReader = {
  format: 'ndjson',
  async stage(db: DuckSession, req: ReadRequest): Promise<string[]> {
    // \x1F (unit separator) never occurs in JSON text, so each line is one field.
    await db.run(
      `CREATE OR REPLACE TEMP TABLE nd_lines AS
       SELECT row_number() OVER () AS _line, rtrim(ltrim(line, chr(65279)), chr(13)) AS line
       FROM read_csv(${literal(req.path)}, columns = {'line': 'VARCHAR'}, header = false, delim = ${literal('\x1f')},
                     quote = '', escape = '', auto_detect = false, compression = ${literal(req.compression)},
                     max_line_size = 67108864)`,
    );
    await db.run(
      `CREATE OR REPLACE TEMP TABLE nd_parsed AS
       SELECT _line, line, CASE WHEN json_valid(line) THEN json_type(line::JSON) END AS kind
       FROM nd_lines WHERE trim(coalesce(line, '')) <> ''`,
    );
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${STAGED_REJECTS} AS
       SELECT _line, line AS raw, CASE WHEN kind IS NULL THEN 'invalid JSON' ELSE 'a JSON ' || lower(kind) || ', not an object' END AS detail
       FROM nd_parsed WHERE kind IS DISTINCT FROM 'OBJECT'`,
    );
    await db.run(`CREATE OR REPLACE TEMP TABLE objs AS SELECT _line, line::JSON AS j FROM nd_parsed WHERE kind = 'OBJECT'`);
    await db.run('DROP TABLE nd_lines; DROP TABLE nd_parsed');
    return objectsToStaged(db);
  },
};
