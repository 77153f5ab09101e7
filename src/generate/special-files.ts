import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The files DuckDB's COPY cannot write: the file-level rejects of contract §4, malformed
 * lines appended to otherwise good files, a BOM with CRLF line endings, and (from drop 2)
 * a byte-identical re-delivery. They are declared as data, so the truth manifest counts
 * them from the same declarations that write them.
 */
export interface SpecialFileCounts {
  fileRejects: Record<string, number>;
  malformedRows: number;
  duplicateDeliveries: number;
}

interface RejectedFile {
  reason: string;
  path: string;
  bytes: (seed: number) => Buffer | string;
}

const REJECTED_FILES: readonly RejectedFile[] = [
  { reason: 'empty_file', path: 'orders/d1-empty.csv', bytes: () => '' },
  {
    reason: 'bad_compression',
    path: 'order_items/d1-truncated.csv.gz',
    bytes: () => {
      const gz = gzipSync(
        'order_id,line_number,product_id,quantity,unit_price,discount\n' + 'O00000001,1,P00001,1,9.99,0\n'.repeat(400),
      );
      return gz.subarray(0, Math.floor(gz.length / 2));
    },
  },
  { reason: 'not_text', path: 'events/d1-corrupt.ndjson', bytes: (seed) => binaryNoise(seed, 4096) },
  {
    reason: 'unparseable',
    path: 'products/d1-broken.json',
    bytes: () =>
      '[{"product_id": "P00001", "product_name": "Lamp", ' +
      '"unit_price": 12.5},\n{"product_id": "P00002", "product_name": ',
  },
  { reason: 'unknown_entity', path: 'suppliers_d1.csv', bytes: () => 'supplier_id,name\nSUP1,Acme\nSUP2,Globex\n' },
  {
    reason: 'no_key_column',
    path: 'customers/d1-nokey.csv',
    bytes: () => 'first_name,last_name,email\nAda,Lovelace,ada@example.com\n',
  },
];

/** Lines appended to good files: a CSV line short of fields, one with too many, and two broken JSON lines. */
const MALFORMED_LINES = (drop: number): Array<{ path: string; lines: string[] }> => [
  { path: `order_items_d${drop}_manual.csv`, lines: ['O00000001,7', 'O00000001,8,P00001,1,2.00,0,extra,fields'] },
  { path: `events_d${drop}_sample.txt`, lines: [`{"event_id": "EBROKEN-${drop}", "ts": `, '[1, 2'] },
];

/** The stores file of each drop; from drop 2 it holds the very bytes of drop 1's. */
export const storesFile = (drop: number) => (drop === 1 ? 'stores_d1.csv' : `stores_d${drop}_resend.csv`);

export function specialFileCounts(drop: number): SpecialFileCounts {
  const fileRejects: Record<string, number> = {};
  if (drop === 1) for (const f of REJECTED_FILES) fileRejects[f.reason] = (fileRejects[f.reason] ?? 0) + 1;
  return {
    fileRejects,
    malformedRows: MALFORMED_LINES(drop).reduce((n, f) => n + f.lines.length, 0),
    duplicateDeliveries: drop > 1 ? 1 : 0,
  };
}

export async function writeSpecialFiles(out: string, drop: number, seed: number): Promise<SpecialFileCounts> {
  for (const f of MALFORMED_LINES(drop)) {
    const path = join(out, f.path);
    await writeFile(path, (await readFile(path, 'utf8')) + f.lines.join('\n') + '\n');
  }
  const stores = join(out, storesFile(drop));
  await writeFile(stores, '\uFEFF' + (await readFile(stores, 'utf8')).replace(/\n/g, '\r\n'));
  if (drop === 1) for (const f of REJECTED_FILES) await writeFile(join(out, f.path), f.bytes(seed));
  return specialFileCounts(drop);
}

function binaryNoise(seed: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    buf[i] = x >>> 24;
  }
  buf[3] = 0; // a NUL byte marks binary content whatever the noise
  return buf;
}
