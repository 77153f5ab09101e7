import { ident, literal, type DuckSession } from '../../duck/index.ts';
import { STAGED } from './format-reader.ts';

/**
 * Turns temp table `objs` (`_line`, `j` JSON object) into `staged`: one VARCHAR column per
 * key, in order of first appearance, so keys that only later records carry are kept.
 * Numbers and booleans come out as their JSON text, nested values as JSON.
 */
export async function objectsToStaged(db: DuckSession): Promise<string[]> {
  const keys = await db.all<{ k: string }>(
    `SELECT k FROM (
       SELECT _line, unnest(json_keys(j)) AS k, generate_subscripts(json_keys(j), 1) AS pos FROM objs
     ) GROUP BY k ORDER BY min(_line), min(pos)`,
  );
  const columns = keys.map((r) => r.k);
  const select = columns.map((k) => `j ->> ${literal(k)} AS ${ident(k)}`);
  await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGED} AS SELECT _line${select.length ? ', ' + select.join(', ') : ''} FROM objs`);
  return columns;
}
