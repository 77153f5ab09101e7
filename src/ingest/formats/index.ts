import { csvReader } from './csv-reader.ts';
import { jsonReader } from './json-reader.ts';
import { ndjsonReader } from './ndjson-reader.ts';
import type { FormatReader } from './format-reader.ts';

export const FORMAT_READERS: Record<FormatReader['format'], FormatReader> = {
  csv: csvReader,
  json: jsonReader,
  ndjson: ndjsonReader,
};
export { STAGED, STAGED_REJECTS, isContentError, narrowStaged, releaseStaged } from './format-reader.ts';
export type { FormatReader, ReadRequest } from './format-reader.ts';
