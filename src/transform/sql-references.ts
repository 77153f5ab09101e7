import type { SqlSession } from '../duck/index.ts';
import { TerminalError } from '../errors/index.ts';

/**
 * Table macros of macros.sql (and DuckDB's own) that read tables named by string
 * arguments: which arguments name tables, and which tables the macro reads besides.
 */
const TABLE_ARGUMENTS: Readonly<Record<string, { tables: readonly number[]; reads?: readonly string[] }>> = {
  query_table: { tables: [0] },
  sl_latest_version: { tables: [0], reads: ['bronze_files'] },
  sl_duplicate_counts: { tables: [1, 2] },
};

interface AstNode {
  [key: string]: unknown;
}

const isNode = (v: unknown): v is AstNode => typeof v === 'object' && v !== null;

/**
 * The tables a SELECT reads, from DuckDB's own parser (`json_serialize_sql`): every base
 * table named, and the tables named by the string arguments of the table macros above;
 * names of the query's own CTEs left out. A statement DuckDB cannot parse is refused with
 * its file and DuckDB's message (which gives the position).
 */
export async function tableReferences(db: SqlSession, sql: string, file: string): Promise<string[]> {
  const serialized = await db.scalar<string>('SELECT json_serialize_sql($sql::VARCHAR)', { sql });
  const ast = JSON.parse(String(serialized)) as AstNode;
  if (ast['error']) {
    throw new TerminalError('model_sql_invalid', `${file}: ${String(ast['error_message'])}`, {
      subject: file,
      hint: 'a model is one SELECT statement DuckDB can parse; fix the SQL at the position given',
    });
  }
  const tables = new Set<string>();
  const ctes = new Set<string>();
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!isNode(n)) return;
    if (n['type'] === 'BASE_TABLE' && typeof n['table_name'] === 'string') tables.add(n['table_name']);
    if (n['type'] === 'TABLE_FUNCTION' && isNode(n['function']))
      macroTables(n['function']).forEach((t) => tables.add(t));
    const map = isNode(n['cte_map']) ? n['cte_map']['map'] : undefined;
    if (Array.isArray(map)) for (const e of map) if (isNode(e) && typeof e['key'] === 'string') ctes.add(e['key']);
    Object.values(n).forEach(visit);
  };
  visit(ast['statements']);
  return [...tables].filter((t) => !ctes.has(t)).sort();
}

function macroTables(fn: AstNode): string[] {
  const spec = TABLE_ARGUMENTS[String(fn['function_name'])];
  if (!spec) return [];
  const args = Array.isArray(fn['children']) ? fn['children'] : [];
  const named = spec.tables.flatMap((i) => {
    const arg: unknown = args[i];
    const value =
      isNode(arg) && arg['class'] === 'CONSTANT' && isNode(arg['value']) ? arg['value']['value'] : undefined;
    return typeof value === 'string' ? [value] : [];
  });
  return [...named, ...(spec.reads ?? [])];
}
