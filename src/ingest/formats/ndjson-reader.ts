import type { DuckSession } from '../../duck/index.ts';
import { rawLines, type FormatReader, type ReadRequest } from './format-reader.ts';
import { jsonLinesToStaged } from './json-objects.ts';

/**
 * Newline-delimited JSON, read as raw lines so that every record keeps its file line
 * number (empty lines included) and a broken line becomes a `malformed_row` reject
 * instead of failing the file. This is also the fast way: DuckDB's own NDJSON reader
 * needs a full pass just to learn which keys a file holds, then a second to read it.
 */
export const ndjsonReader: FormatReader = {
  format: 'ndjson',
  async stage(db: DuckSession, req: ReadRequest): Promise<string[]> {
    return jsonLinesToStaged(db, `SELECT line FROM ${rawLines(req)}`);
  },
};
