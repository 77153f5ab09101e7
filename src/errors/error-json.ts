import { isErrorCode } from './error-codes.ts';
import { ShoplakeError, errorMessage, type ErrorKind } from './shoplake-error.ts';

/**
 * An error as it crosses a process, thread or HTTP boundary: a ShoplakeError keeps its code, kind, subject and hint.
 */
export interface ErrorJson {
  message: string;
  code?: string | undefined;
  kind?: ErrorKind | undefined;
  subject?: string | undefined;
  hint?: string | undefined;
}

export function errorToJson(err: unknown): ErrorJson {
  return err instanceof ShoplakeError
    ? { message: err.message, code: err.code, kind: err.kind, subject: err.subject, hint: err.hint }
    : { message: errorMessage(err) };
}

/**
 * The error again on this side: a ShoplakeError when it was one (so retries still see its kind), else a plain Error.
 * A code this side does not know (the other side is another version) comes back as `internal`, with the original
 * code kept in the message.
 */
export function errorFromJson(json: ErrorJson): Error {
  if (!json.code || (json.kind !== 'terminal' && json.kind !== 'transient')) return new Error(json.message);
  const code = isErrorCode(json.code) ? json.code : undefined;
  return new ShoplakeError(code ?? 'internal', json.kind, code ? json.message : `[${json.code}] ${json.message}`, {
    ...(json.subject ? { subject: json.subject } : {}),
    ...(json.hint ? { hint: json.hint } : {}),
  });
}
