export { loadModels, SOURCES } from './model-registry.ts';
export { buildModel, ModelReaders } from './build-models.ts';
export type { ModelResult } from './build-models.ts';
export { createBronzeSources } from './bronze-sources.ts';
export type { Model, ModelDeclaration, DataTestSpec } from './model-declaration.ts';
export { defineModel } from './model-declaration.ts';
export const MACROS_SQL_URL = new URL('./macros.sql', import.meta.url);
export { COLUMN_GLOSSARY } from './column-glossary.ts';
