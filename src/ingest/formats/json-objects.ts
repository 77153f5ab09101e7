import { ident, literal, type DuckSession } from '../../duck/index.ts';
import { STAGED, STAGED_REJECTS } from './format-reader.ts';

/**
 * Turns temp table `json_lines` (`_line`, `line` JSON text) into `staged`: one VARCHAR
 * column per key, in order of first appearance, so keys only later records carry are
 * kept; lines that are not JSON objects go to `staged_rejects`. Each line is parsed once
 * by from_json (numbers and booleans come out as text, nested values as JSON text).
 */
export async function jsonLinesToStaged(db: DuckSession): Promise<string[]> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE json_checked AS
     SELECT _line, line, json_valid(line) AND starts_with(ltrim(line), '{') AS is_object
     FROM json_lines WHERE trim(coalesce(line, '')) <> ''`,
  );
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGED_REJECTS} AS
     SELECT _line, line AS raw,
            CASE WHEN NOT json_valid(line) THEN 'invalid JSON' ELSE 'a JSON ' || lower(json_type(line)) || ', not an object' END AS detail
     FROM json_checked WHERE NOT is_object`,
  );
  const keys = (await db.all<{ k: string }>(
    `SELECT k FROM (
       SELECT _line, unnest(ks) AS k, generate_subscripts(ks, 1) AS pos
       FROM (SELECT _line, json_keys(line) AS ks FROM json_checked WHERE is_object)
     ) GROUP BY k ORDER BY min(_line), min(pos)`,
  )).map((r) => r.k);
  // DuckDB struct fields ignore case: keys that differ only in case are read one by one.
  const caseClash = new Set(keys.map((k) => k.toLowerCase())).size !== keys.length;
  let select: string;
  if (keys.length === 0) select = '_line';
  else if (caseClash) select = `_line, ${keys.map((k) => `line ->> ${literal(k)} AS ${ident(k)}`).join(', ')}`;
  else {
    const spec = JSON.stringify(Object.fromEntries(keys.map((k) => [k, 'VARCHAR'])));
    select = `_line, ${keys.map((k) => `s[${literal(k)}] AS ${ident(k)}`).join(', ')} FROM (SELECT _line, from_json(line, ${literal(spec)}) AS s`;
    select += ` FROM json_checked WHERE is_object)`;
    await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGED} AS SELECT ${select}`);
    await db.run('DROP TABLE json_checked');
    return keys;
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGED} AS SELECT ${select} FROM json_checked WHERE is_object`);
  await db.run('DROP TABLE json_checked');
  return keys;
}
