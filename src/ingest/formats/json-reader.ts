import { literal, type DuckSession } from '../../duck/index.ts';
import { LANDING_SCAN, type FormatReader, type ReadRequest } from './format-reader.ts';
import { jsonLinesToStaged } from './json-objects.ts';

/**
 * A JSON document: an array of records, or an object holding one array of records
 * (`{"products": [...]}`). `_line` is the record's position in the array.
 */
export const jsonReader: FormatReader = {
  format: 'json',
  async stage(db: DuckSession, req: ReadRequest): Promise<string[]> {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE js_top AS
       SELECT row_number() OVER () AS _n, json AS j
       FROM read_json_objects(${literal(req.path)}, format = 'auto',
                              compression = ${literal(req.compression === 'gzip' ? 'gzip' : 'uncompressed')},
                              maximum_object_size = ${Math.max(16 << 20, req.textBytes + 1024)}, ${LANDING_SCAN})`,
    );
    const top = await db.all<{ n: number; kind: string; arrays: number; key: string | null }>(
      `SELECT count(*) OVER () AS n, json_type(j) AS kind,
              len(list_filter(json_keys(j), k -> json_type(j -> k) = 'ARRAY')) AS arrays,
              list_filter(json_keys(j), k -> json_type(j -> k) = 'ARRAY')[1] AS key
       FROM js_top LIMIT 1`,
    );
    const first = top[0];
    // One top-level object whose only array is the records: unwrap it.
    const wrapped =
      first && Number(first.n) === 1 && first.kind === 'OBJECT' && Number(first.arrays) === 1 && first.key;
    const source = wrapped
      ? `SELECT unnest(from_json(j -> ${literal(first.key!)}, '["JSON"]')) AS j FROM js_top`
      : 'SELECT j FROM js_top ORDER BY _n';
    try {
      return jsonLinesToStaged(db, `SELECT j::VARCHAR AS line FROM (${source})`);
    } finally {
      await db.run('DROP TABLE js_top');
    }
  },
};
