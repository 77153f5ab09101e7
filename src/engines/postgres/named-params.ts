import type { StateParams } from '../../state/index.ts';

/**
 * A statement with DuckDB-style named parameters (`$name`) as PostgreSQL takes it:
 * positional `$1…$n` and their values, one number per distinct name. Text inside quotes
 * is left alone. A `$1`-style position would collide with the numbering, so it is refused.
 */
export function toPositional(sql: string, params: StateParams = {}): { text: string; values: unknown[] } {
  const order = new Map<string, number>();
  let text = '';
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      const end = closingQuote(sql, i);
      text += sql.slice(i, end + 1);
      i = end;
      continue;
    }
    if (ch === '$' && /[0-9]/.test(sql[i + 1] ?? ''))
      throw new RangeError('state statements name their parameters ($name), not positions ($1)');
    const name = ch === '$' ? /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))?.[0] : undefined;
    if (!name) {
      text += ch;
      continue;
    }
    if (!(name in params)) throw new RangeError(`statement parameter $${name} has no value`);
    if (!order.has(name)) order.set(name, order.size + 1);
    text += `$${order.get(name)}`;
    i += name.length;
  }
  return { text, values: [...order.keys()].map((k) => params[k]) };
}

/** Index of the quote closing the one at `start`; a doubled quote is an escaped one. */
function closingQuote(sql: string, start: number): number {
  const q = sql[start];
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] !== q) continue;
    if (sql[i + 1] === q) i++;
    else return i;
  }
  return sql.length - 1;
}
