/** A data test as a model declares it; quality compiles it to SQL and runs it. */
export type Severity = 'error' | 'warn';

export type DataTestSpec =
  | { kind: 'unique'; columns: string[]; severity?: Severity }
  | { kind: 'not_null'; column: string; severity?: Severity }
  | { kind: 'relationship'; column: string; to: string; field: string; severity?: Severity }
  | { kind: 'accepted_values'; column: string; values: string[]; severity?: Severity }
  /** `sql` selects the failing rows. */
  | { kind: 'expression'; name: string; sql: string; severity?: Severity };
