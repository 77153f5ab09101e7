import { ident, literalList } from '../duck/index.ts';
import type { DataTestSpec } from './data-test-spec.ts';

/** A data test as a name and a query that counts failing rows (0 = pass). */
export interface CompiledTest {
  name: string;
  severity: 'error' | 'warn';
  sql: string;
}

export function compileTest(model: string, t: DataTestSpec): CompiledTest {
  const m = ident(model);
  const severity = t.severity ?? 'error';
  switch (t.kind) {
    case 'unique': {
      const cols = t.columns.map(ident).join(', ');
      const qualified = t.columns.map((c) => `t.${ident(c)}`).join(', ');
      // Grouping millions of 64-bit hashes is far cheaper than grouping the keys themselves;
      // only keys whose hash repeats, almost always none, are then grouped for real, so a
      // collision never counts as a failure.
      return {
        name: `unique(${t.columns.join(', ')})`,
        severity,
        sql: `WITH repeated AS (SELECT hash(${cols}) AS h FROM ${m} GROUP BY h HAVING count(*) > 1)
              SELECT count(*)
              FROM (SELECT ${qualified} FROM ${m} t
              SEMI JOIN repeated r ON hash(${qualified}) = r.h GROUP BY ALL HAVING count(*) > 1)`,
      };
    }
    case 'not_null':
      return {
        name: `not_null(${t.column})`,
        severity,
        sql: `SELECT count(*) FROM ${m} WHERE ${ident(t.column)} IS NULL`,
      };
    case 'relationship':
      return {
        name: `relationship(${t.column} -> ${t.to}.${t.field})`,
        severity,
        sql: `SELECT count(*) FROM ${m} a WHERE a.${ident(t.column)} IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM ${ident(t.to)} b WHERE b.${ident(t.field)} = a.${ident(t.column)})`,
      };
    case 'accepted_values':
      return {
        name: `accepted_values(${t.column})`,
        severity,
        // list_contains, not IN: DuckDB plans an IN list of six or more as a join per row.
        sql: `SELECT count(*) FROM ${m}
              WHERE ${ident(t.column)} IS NOT NULL
              AND NOT list_contains(${literalList(t.values)}, ${ident(t.column)}::VARCHAR)`,
      };
    case 'expression':
      return { name: t.name, severity, sql: `SELECT count(*) FROM (${t.sql})` };
  }
}
