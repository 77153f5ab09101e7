import { ident, literal, type DuckSession } from '../../duck/index.ts';
import {
  LANDING_SCAN,
  rawLines,
  STAGED,
  STAGED_DATA,
  STAGED_REJECTS,
  type FormatReader,
  type ReadRequest,
} from './format-reader.ts';

/**
 * Delimited text through DuckDB's CSV reader, every column as text. Lines with the wrong
 * field count land in DuckDB's rejects table and become `malformed_row` rejects; the good
 * lines keep their file line numbers.
 */
export const csvReader: FormatReader = {
  format: 'csv',
  async stage(db: DuckSession, req: ReadRequest): Promise<string[]> {
    await db.run('DROP TABLE IF EXISTS csv_rejects; DROP TABLE IF EXISTS csv_scans');
    await db.run(
      `CREATE OR REPLACE TEMP TABLE csv_read AS
       SELECT row_number() OVER () AS _rn, *
       FROM read_csv(${literal(req.path)}, header = true, all_varchar = true, delim = ${literal(req.delimiter ?? ',')},
                     quote = '"', escape = '"', compression = ${literal(req.compression)}, sample_size = 2048,
                     store_rejects = true, rejects_table = 'csv_rejects', rejects_scan = 'csv_scans', ${LANDING_SCAN})`,
    );
    const cols = (await db.all<{ column_name: string }>('DESCRIBE csv_read'))
      .map((c) => c.column_name)
      .filter((c) => c !== '_rn');
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${STAGED_REJECTS} AS
       SELECT line::BIGINT AS _line, first(csv_line) AS raw, string_agg(DISTINCT error_type, '; ') AS detail
       FROM csv_rejects GROUP BY line`,
    );
    // Qualified: a file's own column may be called `n` or `_rn`.
    const colList = cols.map((c) => `c.${ident(c)}`).join(', ') || 'NULL AS _none';
    const rejected = Number(await db.scalar(`SELECT count(*) FROM ${STAGED_REJECTS}`));
    if (!req.blankLines && rejected === 0) {
      // Nothing skipped: row n is line n + 1, and the rows need no copy.
      await db.run(
        `ALTER TABLE csv_read RENAME TO ${STAGED_DATA};
         CREATE OR REPLACE TEMP VIEW ${STAGED} AS SELECT c._rn + 1 AS _line, ${colList} FROM ${STAGED_DATA} c`,
      );
      return cols;
    }
    // The reader drops bad lines and skips empty ones, so good row n sits on line n + 1
    // (the header) plus the number of such lines before it. The i-th of them, at file
    // line r, has g = r - 2 - (i - 1) good rows before it. Empty lines are only looked
    // for when the file has any (a raw pass over its lines).
    const skipped = req.blankLines
      ? `SELECT _line FROM ${STAGED_REJECTS} UNION ALL
         SELECT _line FROM (SELECT row_number() OVER () AS _line, line FROM ${rawLines(req)})
         WHERE line IS NULL OR trim(line) = ''`
      : `SELECT _line FROM ${STAGED_REJECTS}`;
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${STAGED_DATA} AS
       WITH bad AS (SELECT _line - 2 - (row_number() OVER (ORDER BY _line) - 1) AS g FROM (${skipped}))
       SELECT c._rn + 1 + coalesce(b.n, 0) AS _line, ${colList}
       FROM csv_read c
       LEFT JOIN (SELECT r._rn, count(*) AS n FROM csv_read r JOIN bad ON bad.g < r._rn GROUP BY r._rn) b USING (_rn)`,
    );
    await db.run(`DROP TABLE csv_read; CREATE OR REPLACE TEMP VIEW ${STAGED} AS SELECT * FROM ${STAGED_DATA}`);
    return cols;
  },
};
