import { ident, literalList } from '../duck/index.ts';
import type { DataTestSpec } from '../transform/model-declaration.ts';

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
      return { name: `unique(${t.columns.join(', ')})`, severity, sql: `SELECT count(*) FROM (SELECT ${cols} FROM ${m} GROUP BY ${cols} HAVING count(*) > 1)` };
    }
    case 'not_null':
      return { name: `not_null(${t.column})`, severity, sql: `SELECT count(*) FROM ${m} WHERE ${ident(t.column)} IS NULL` };
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
        sql: `SELECT count(*) FROM ${m} WHERE ${ident(t.column)} IS NOT NULL AND NOT list_contains(${literalList(t.values)}, ${ident(t.column)}::VARCHAR)`,
      };
    case 'expression':
      return { name: t.name, severity, sql: `SELECT count(*) FROM (${t.sql})` };
  }
}
