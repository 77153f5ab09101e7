export * from './entities.ts';
export { mapHeaders, normalizeHeader, missingKeyColumns } from './header-map.ts';
export type { MappedColumn, HeaderMatch } from './header-map.ts';
export { entityOfPath } from './entity-of-path.ts';
