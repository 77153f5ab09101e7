import { ShoplakeError, errorMessage, type ErrorKind } from './shoplake-error.ts';

/** An error as it crosses a process, thread or HTTP boundary: a ShoplakeError keeps its code, kind, subject and hint. */
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

/** The error again on this side: a ShoplakeError when it was one (so retries still see its kind), else a plain Error. */
export function errorFromJson(json: ErrorJson): Error {
  if (!json.code || (json.kind !== 'terminal' && json.kind !== 'transient')) return new Error(json.message);
  return new ShoplakeError(json.code, json.kind, json.message, {
    ...(json.subject ? { subject: json.subject } : {}),
    ...(json.hint ? { hint: json.hint } : {}),
  });
}
