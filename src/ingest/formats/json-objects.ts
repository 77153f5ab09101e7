import { ident, literal, type DuckSession } from '../../duck/index.ts';
import { STAGED, STAGED_REJECTS } from './format-reader.ts';

/**
 * Turns the JSON lines `linesSql` selects (`_line`, `line` JSON text) into `staged`: one VARCHAR
 * column per key, in order of first appearance, so keys only later records carry are
 * kept; lines that are not JSON objects go to `staged_rejects`. Each line is parsed
 * twice: once for its keys (which also validates it) and once by from_json, which gives
 * numbers and booleans as text and nested values as JSON text.
 */
export async function jsonLinesToStaged(db: DuckSession, linesSql: string): Promise<string[]> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE json_keyed AS
     SELECT _line, line, CASE WHEN starts_with(ltrim(line), '{') THEN try(json_keys(line)) END AS ks
     FROM (${linesSql}) WHERE trim(coalesce(line, '')) <> ''`,
  );
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGED_REJECTS} AS
     SELECT _line, line AS raw,
            CASE WHEN NOT json_valid(line) THEN 'invalid JSON' ELSE 'a JSON ' || lower(json_type(line)) || ', not an object' END AS detail
     FROM json_keyed WHERE ks IS NULL`,
  );
  const keys = (await db.all<{ k: string }>(
    `SELECT k FROM (
       SELECT first_line, unnest(ks) AS k, generate_subscripts(ks, 1) AS pos
       FROM (SELECT ks, min(_line) AS first_line FROM json_keyed WHERE ks IS NOT NULL GROUP BY ks)
     ) GROUP BY k ORDER BY min(first_line), min(pos)`,
  )).map((r) => r.k);
  // DuckDB struct fields ignore case: keys that differ only in case are read one by one.
  const caseClash = new Set(keys.map((k) => k.toLowerCase())).size !== keys.length;
  let source: string;
  if (keys.length === 0) source = 'SELECT _line FROM json_keyed WHERE ks IS NOT NULL';
  else if (caseClash) source = `SELECT _line, ${keys.map((k) => `line ->> ${literal(k)} AS ${ident(k)}`).join(', ')} FROM json_keyed WHERE ks IS NOT NULL`;
  else {
    const spec = JSON.stringify(Object.fromEntries(keys.map((k) => [k, 'VARCHAR'])));
    source = `SELECT _line, ${keys.map((k) => `s[${literal(k)}] AS ${ident(k)}`).join(', ')}
              FROM (SELECT _line, from_json(line, ${literal(spec)}) AS s FROM json_keyed WHERE ks IS NOT NULL)`;
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGED} AS ${source}`);
  await db.run('DROP TABLE json_keyed');
  return keys;
}
