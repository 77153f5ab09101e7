/**
 * The PostgreSQL column type for a DuckDB one (as DESCRIBE prints it), spelled as
 * PostgreSQL's format_type() prints it back, so a published table's columns can be
 * compared with a build's.
 */
export function postgresType(duck: string): string {
  const t = duck.toUpperCase();
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (decimal) return `numeric(${decimal[1]},${decimal[2]})`;
  if (t.endsWith('[]')) return `${postgresType(duck.slice(0, -2))}[]`;
  const simple: Record<string, string> = {
    VARCHAR: 'text',
    BOOLEAN: 'boolean',
    TINYINT: 'smallint',
    SMALLINT: 'smallint',
    INTEGER: 'integer',
    BIGINT: 'bigint',
    HUGEINT: 'numeric(38,0)',
    UTINYINT: 'smallint',
    USMALLINT: 'integer',
    UINTEGER: 'bigint',
    UBIGINT: 'numeric(20,0)',
    FLOAT: 'real',
    DOUBLE: 'double precision',
    DATE: 'date',
    TIME: 'time without time zone',
    TIMESTAMP: 'timestamp without time zone',
    'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone',
    INTERVAL: 'interval',
    UUID: 'uuid',
    JSON: 'jsonb',
    BLOB: 'bytea',
  };
  const pg = simple[t];
  if (!pg) throw new RangeError(`no PostgreSQL type for DuckDB type ${duck}`);
  return pg;
}
