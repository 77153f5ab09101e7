/**
 * shoplake's public API for code of your own, such as DAG files (config `dags`):
 *
 *   import { defineDag, retryPolicy, DuckSession } from 'shoplake';
 */
export { defineDag, retryPolicy, NO_RETRY } from './dag/index.ts';
export type { Dag, DagSpec, TaskSpec, TaskContext, RetryPolicy, DagRunRecord, DagFileContext } from './dag/index.ts';
export { DuckSession, ident, literal } from './duck/index.ts';
export { writeAtomically, replaceDirectory } from './lake/index.ts';
export { ShoplakeError, TerminalError, TransientError, ERROR_CODES, isErrorCode } from './errors/index.ts';
export type { ErrorCode } from './errors/index.ts';
