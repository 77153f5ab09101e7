export { ShoplakeError, TerminalError, TransientError, errorMessage } from './shoplake-error.ts';
export type { ErrorKind, ErrorDetails } from './shoplake-error.ts';
export { ERROR_CODES, isErrorCode } from './error-codes.ts';
export type { ErrorCode } from './error-codes.ts';
export { redactUrl } from './redact-url.ts';
export { settleAll } from './settle-all.ts';
export { errorFromJson, errorToJson } from './error-json.ts';
export type { ErrorJson } from './error-json.ts';
