export { fetchRestSource, RestSourceSchema } from './rest-source.ts';
export type { RestSource, RestFetchResult } from './rest-source.ts';
