export { inferColumnTypes } from './infer-column-types.ts';
export type { InferredType } from './infer-column-types.ts';
export { registerSchema, diffSchemas, forgetSchemas } from './schema-registry.ts';
export type { CatalogColumn, DriftEvent, SchemaRegistration } from './schema-registry.ts';
export { catalogView } from './catalog-view.ts';
export type { CatalogView } from './catalog-view.ts';
