import type { ErrorCode } from './error-codes.ts';

/**
 * The one base error of shoplake. `code` is stable (scripts and the HTTP API match on it)
 * and registered in ERROR_CODES (error-codes.ts); `kind` alone decides whether a retry can
 * help; `subject` names the file, model or task at fault and `hint` says what to do next.
 */
export type ErrorKind = 'terminal' | 'transient';

export interface ErrorDetails {
  subject?: string;
  hint?: string;
  cause?: unknown;
}

export class ShoplakeError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly subject: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, kind: ErrorKind, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ShoplakeError';
    this.code = code;
    this.kind = kind;
    this.subject = details.subject;
    this.hint = details.hint;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, kind: this.kind, message: this.message, subject: this.subject, hint: this.hint };
  }
}

/** Bad input, bad config, a failed data test: running it again unchanged fails the same way. */
export class TerminalError extends ShoplakeError {
  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(code, 'terminal', message, details);
  }
}

/** A lock held by another process, a dropped connection: may succeed on a later attempt. */
export class TransientError extends ShoplakeError {
  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(code, 'transient', message, details);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
