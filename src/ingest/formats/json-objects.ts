import { ident, literal, type DuckSession } from '../../duck/index.ts';
import { isContentError, STAGED, STAGED_DATA, STAGED_REJECTS } from './format-reader.ts';

// A line is a record when it is a JSON object. Checking the first character is free; only
// when a line that opens like an object fails to parse is every line validated as well.
// trim() copies every string, so it only runs on lines whose first byte is not the answer.
const OPENS_OBJECT = "(starts_with(line, '{') OR starts_with(ltrim(line), '{'))";
// Empty and blank lines are no records and no rejects; they only count for numbering.
const NOT_BLANK = "line IS NOT NULL AND (starts_with(line, '{') OR trim(line) <> '')";
const LINE = 'rowid + 1 AS _line';
const IS_OBJECT = `(${OPENS_OBJECT} AND json_valid(line))`;
// json_type names DuckDB's types (UBIGINT, DOUBLE, VARCHAR); a reject says JSON's.
const JSON_KIND = `CASE json_type(line) WHEN 'VARCHAR' THEN 'string' WHEN 'ARRAY' THEN 'array'
                   WHEN 'BOOLEAN' THEN 'boolean' WHEN 'NULL' THEN 'null' ELSE 'number' END`;

/**
 * Turns the JSON lines `linesSql` selects (`line`, JSON text, in order: the n-th row is
 * line or record n) into `staged`: one VARCHAR column per key, in order of first
 * appearance, so keys only later records carry are kept; lines that are not JSON objects
 * go to `staged_rejects`. Each line is parsed twice: once for its keys and once by
 * from_json, which gives numbers and booleans as text and nested values as JSON text.
 */
export async function jsonLinesToStaged(db: DuckSession, linesSql: string): Promise<string[]> {
  // The line number is the row's position, kept by the table's rowid: numbering the lines
  // with row_number() OVER () instead gathers every line into one thread.
  await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGED_DATA} AS ${linesSql}`);
  const lines = `SELECT ${LINE}, line FROM ${STAGED_DATA}`;
  let isRecord = OPENS_OBJECT;
  let badLines: number;
  try {
    badLines = await keyShapes(db, lines, isRecord);
  } catch (err) {
    // json_keys stops at the first broken line; validate every line to find them all.
    if (!isContentError(err)) throw err;
    isRecord = IS_OBJECT;
    badLines = await keyShapes(db, lines, isRecord);
  }
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGED_REJECTS} AS
     SELECT ${LINE}, line AS raw,
            CASE WHEN NOT json_valid(line) THEN 'invalid JSON'
                 ELSE 'a JSON ' || ${JSON_KIND} || ', not an object' END AS detail
     FROM ${STAGED_DATA} WHERE ${badLines > 0 ? `${NOT_BLANK} AND NOT ${IS_OBJECT}` : 'false'}`,
  );
  const keys = await shapeKeys(db);
  const records = `FROM (SELECT ${LINE}, line FROM ${STAGED_DATA} WHERE ${NOT_BLANK}) WHERE ${isRecord}`;
  // DuckDB names and struct fields ignore case: keys that differ only in case are read one
  // by one, into columns named apart (`id`, `id_2`).
  const names = namedApart(keys);
  let source: string;
  if (keys.length === 0) source = `SELECT _line ${records}`;
  else if (names.some((n, i) => n !== keys[i]))
    source = `SELECT _line,
              ${keys.map((k, i) => `line ->> ${literal(k)} AS ${ident(names[i]!)}`).join(', ')} ${records}`;
  else {
    const spec = JSON.stringify(Object.fromEntries(keys.map((k) => [k, 'VARCHAR'])));
    source = `SELECT _line, ${keys.map((k) => `s[${literal(k)}] AS ${ident(k)}`).join(', ')}
              FROM (SELECT _line, from_json(line, ${literal(spec)}) AS s ${records})`;
  }
  // A view, not a table: the lines are parsed once more, by the bronze write, instead of
  // into a table that is written out again.
  await db.run(`CREATE OR REPLACE TEMP VIEW ${STAGED} AS ${source}`);
  await db.run('DROP TABLE json_shapes');
  return names;
}

/**
 * A file that is all JSON objects, one per line, straight from DuckDB's JSON reader: one
 * streaming pass for the keys, then `staged` is a view over `read_json` with every key as
 * VARCHAR, which the bronze write reads once more. Nothing is copied into a table (for a
 * 470k-line events file that copy cost as much CPU as the key pass and the write together).
 * `objects` reads the file with read_json_objects and `records(columns)` with read_json
 * taking that `columns` struct; the n-th record is line n. `knownKeys`, from a writer that
 * knows the file, stands in for the key pass.
 *
 * Returns undefined, staging nothing, for a file this cannot read line for line: a line
 * that is no object, keys differing only in case (DuckDB's names ignore case), or no key
 * at all; the caller then reads raw lines. A broken line throws DuckDB's error.
 */
export async function jsonRecordsToStaged(
  db: DuckSession,
  objects: string,
  records: (columns: string) => string,
  knownKeys?: readonly string[],
): Promise<string[] | undefined> {
  const keys = knownKeys ? [...knownKeys] : await recordKeys(db, objects);
  if (keys.length === 0 || namedApart(keys).some((n, i) => n !== keys[i])) return undefined;
  const columns = `{${keys.map((k) => `${literal(k)}: 'VARCHAR'`).join(', ')}}`;
  // Columns are renamed by position (c0…cn, the ordinal last), so no key clashes with the ordinal.
  const at = (i: number) => `c${i}`;
  await db.run(
    `CREATE OR REPLACE TEMP VIEW ${STAGED} AS
     SELECT ${at(keys.length)} AS _line, ${keys.map((k, i) => `${at(i)} AS ${ident(k)}`).join(', ')}
     FROM ${records(columns)} WITH ORDINALITY AS r(${[...keys.keys(), keys.length].map(at).join(', ')})`,
  );
  await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGED_REJECTS} (_line BIGINT, raw VARCHAR, detail VARCHAR)`);
  return keys;
}

/** Every key of the file's records in order of first appearance; none when a line is no object. */
async function recordKeys(db: DuckSession, objects: string): Promise<string[]> {
  const badLines = await keyShapes(
    db,
    `SELECT ordinality AS _line, json::VARCHAR AS line FROM ${objects} WITH ORDINALITY`,
    OPENS_OBJECT,
  );
  const keys = badLines > 0 ? [] : await shapeKeys(db);
  await db.run('DROP TABLE json_shapes');
  return keys;
}

/** Keys made unique ignoring case: a later `ID` after `id` becomes `ID_2`. */
function namedApart(keys: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((k) => {
    const n = (seen.get(k.toLowerCase()) ?? 0) + 1;
    seen.set(k.toLowerCase(), n);
    return n === 1 ? k : `${k}_${n}`;
  });
}

/**
 * Each distinct key list with the first line that has it, into `json_shapes`; NULL stands
 * for lines that are not records. `lines` selects `_line` and `line` (JSON text). Returns
 * how many lines are not records.
 */
async function keyShapes(db: DuckSession, lines: string, isRecord: string): Promise<number> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE json_shapes AS
     SELECT ks, min(_line) AS first_line, count(*) AS n
     FROM (SELECT _line, CASE WHEN ${isRecord} THEN json_keys(line) END AS ks FROM (${lines}) WHERE ${NOT_BLANK})
     GROUP BY ks`,
  );
  return Number(await db.scalar('SELECT coalesce(sum(n), 0) FROM json_shapes WHERE ks IS NULL'));
}

/** Every key of json_shapes' records, in order of first appearance. */
async function shapeKeys(db: DuckSession): Promise<string[]> {
  const rows = await db.all<{ k: string }>(
    `SELECT k
     FROM (SELECT first_line, unnest(ks) AS k, generate_subscripts(ks, 1) AS pos FROM json_shapes WHERE ks IS NOT NULL)
     GROUP BY k ORDER BY min(first_line), min(pos)`,
  );
  return rows.map((r) => r.k);
}
