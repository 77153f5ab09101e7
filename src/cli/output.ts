import { ShoplakeError, errorMessage } from '../errors/index.ts';

/** Fixed exit codes: scripts may rely on them. */
export const EXIT = {
  ok: 0,
  /** The pipeline ran and failed: a model or a blocking data test. */
  runFailed: 1,
  /** Bad usage, config or input. */
  usage: 2,
  /** Try again later: another process owns the home, a service is down. */
  transient: 3,
  internal: 4,
} as const;

export interface OutputOptions {
  json?: boolean;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

// Columns whose numbers are labels, not quantities: no thousands separators.
const LABEL_COLUMN = /(^|_)(year|month|day|key|id|seq|line|version|rank|order|week|quarter)$/;

/** Column-aligned table for a terminal; quantities right-aligned with thousands separators. */
export function formatTable(rows: ReadonlyArray<Record<string, unknown>>, columns?: string[]): string {
  if (rows.length === 0) return '(no rows)';
  const cols = columns ?? Object.keys(rows[0]!);
  const isNumber = (v: unknown) => typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v));
  const numeric = cols.map((c) => rows.every((r) => r[c] === null || r[c] === undefined || isNumber(r[c])));
  const cell = (v: unknown, col: string, num: boolean): string => {
    if (v === null || v === undefined) return '';
    if (num && !LABEL_COLUMN.test(col)) {
      const text = String(v);
      const decimals = text.includes('.') ? text.split('.')[1]!.length : 0;
      return Number(text).toLocaleString('en-US', {
        minimumFractionDigits: decimals,
        maximumFractionDigits: Math.max(decimals, 0),
      });
    }
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  };
  const text = rows.map((r) => cols.map((c, i) => cell(r[c], c, numeric[i]!)));
  const widths = cols.map((c, i) => Math.min(60, Math.max(c.length, ...text.map((t) => t[i]!.length))));
  const fmt = (vals: string[]) =>
    vals
      .map((v, i) => {
        const s = v.length > widths[i]! ? v.slice(0, widths[i]! - 1) + '…' : v;
        return numeric[i] ? s.padStart(widths[i]!) : s.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  return [fmt(cols), widths.map((w) => '─'.repeat(w)).join('  '), ...text.map(fmt)].join('\n');
}

export function printTable(rows: ReadonlyArray<Record<string, unknown>>, columns?: string[]): void {
  process.stdout.write(formatTable(rows, columns) + '\n');
}

/** Prints an error with its code on stderr (JSON with --json) and returns the exit code. */
export function reportError(err: unknown, opts: OutputOptions = {}): number {
  const e = err instanceof ShoplakeError ? err : undefined;
  const code = e?.code ?? 'internal';
  if (opts.json) {
    process.stderr.write(JSON.stringify({ error: e ? e.toJSON() : { code, message: errorMessage(err) } }) + '\n');
  } else {
    process.stderr.write(`error [${code}]: ${e?.message ?? errorMessage(err)}\n`);
    if (e?.subject) process.stderr.write(`  at: ${e.subject}\n`);
    if (e?.hint) process.stderr.write(`  hint: ${e.hint}\n`);
    if (!e && err instanceof Error && process.env['SHOPLAKE_DEBUG']) process.stderr.write(`${err.stack}\n`);
  }
  if (!e) return EXIT.internal;
  return e.kind === 'transient' ? EXIT.transient : EXIT.usage;
}

export function humanNumber(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return n.toLocaleString('en-US');
}

export function humanMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms)}ms`;
}
