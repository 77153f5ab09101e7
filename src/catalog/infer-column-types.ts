import { ident, type DuckSession } from '../duck/index.ts';

export type InferredType = 'integer' | 'decimal' | 'boolean' | 'timestamp' | 'date' | 'text' | 'empty';

/**
 * What each text column of `table` looks like, judged on a sample of its non-null values
 * in one SQL pass. Bronze keeps text; this feeds the catalog's type-drift events.
 */
export async function inferColumnTypes(
  db: DuckSession,
  table: string,
  columns: readonly string[],
  sample = 2000,
): Promise<Record<string, InferredType>> {
  if (columns.length === 0) return {};
  const checks = columns.map((c, i) => {
    const v = `trim(${ident(c)})`;
    return `count(${ident(c)}) AS n${i},
      bool_and(regexp_full_match(${v}, '[-+]?[0-9]+')) AS i${i},
      bool_and(regexp_full_match(${v}, '[-+]?\\$?[0-9,]*\\.?[0-9]+')) AS d${i},
      bool_and(lower(${v}) IN ('true', 'false', 'y', 'n', 'yes', 'no')) AS b${i},
      bool_and(regexp_full_match(${v}, '[0-9]{1,4}[-/][0-9]{1,2}[-/][0-9]{1,4}')) AS dt${i},
      bool_and(regexp_matches(${v}, '^[0-9]{1,4}[-/][0-9]{1,2}[-/][0-9]{1,4}[T ][0-9]{1,2}:[0-9]{2}')) AS ts${i}`;
  });
  const row = await db.one(`SELECT ${checks.join(',\n')} FROM (SELECT * FROM ${ident(table)} LIMIT ${Number(sample)})`);
  const out: Record<string, InferredType> = {};
  columns.forEach((c, i) => {
    const r = row ?? {};
    out[c] =
      Number(r[`n${i}`]) === 0
        ? 'empty'
        : r[`i${i}`]
          ? 'integer'
          : r[`d${i}`]
            ? 'decimal'
            : r[`b${i}`]
              ? 'boolean'
              : r[`ts${i}`]
                ? 'timestamp'
                : r[`dt${i}`]
                  ? 'date'
                  : 'text';
  });
  return out;
}
