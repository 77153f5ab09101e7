/** Quotes an identifier for DuckDB/PostgreSQL: identifiers are never spliced raw. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A string literal, for the few places DuckDB takes no bound parameter (table functions
 * such as read_csv in a CREATE VIEW, COPY ... TO targets, ATTACH paths).
 */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function literalList(values: readonly string[]): string {
  return `[${values.map(literal).join(', ')}]`;
}
