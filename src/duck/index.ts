export { DuckSession } from './duck-session.ts';
export type { DuckOptions, Params, Row } from './duck-session.ts';
export { ident, literal, literalList } from './sql-text.ts';
export { engineShare } from './engine-share.ts';
