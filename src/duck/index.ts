export { DuckSession } from './duck-session.ts';
export type { DuckOptions, Params, Row } from './duck-session.ts';
export { ident, literal, literalList } from './sql-text.ts';
export { engineShare } from './engine-share.ts';
export { SqlSession } from './sql-session.ts';
export { ChildDuckSession, type EngineProcessOptions } from './child-duck-session.ts';
export { EngineConfigSchema } from './engine-config.ts';
export type { EngineConfig } from './engine-config.ts';
