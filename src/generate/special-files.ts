import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The files DuckDB's COPY cannot write: the file-level rejects of contract §4, malformed
 * lines inside otherwise good files, a BOM with CRLF line endings, and a byte-identical
 * re-delivery. Each returns what it put in, for the truth manifest.
 */
export interface SpecialFileCounts {
  fileRejects: Record<string, number>;
  malformedRows: number;
  duplicateDeliveries: number;
}

export async function writeSpecialFiles(out: string, drop: number, seed: number): Promise<SpecialFileCounts> {
  const counts: SpecialFileCounts = { fileRejects: {}, malformedRows: 0, duplicateDeliveries: 0 };
  const reject = async (reason: string, path: string, bytes: Buffer | string) => {
    await writeFile(join(out, path), bytes);
    counts.fileRejects[reason] = (counts.fileRejects[reason] ?? 0) + 1;
  };

  // Wrong field counts in a CSV and broken JSON lines in an NDJSON .txt; the good lines stay.
  const manual = join(out, `order_items_d${drop}_manual.csv`);
  await writeFile(manual, (await readFile(manual, 'utf8')) + `O00000001,7\nO00000001,8,P00001,1,2.00,0,extra,fields\n`);
  const sample = join(out, `events_d${drop}_sample.txt`);
  await writeFile(sample, (await readFile(sample, 'utf8')) + `{"event_id": "EBROKEN-${drop}", "ts": \n[1, 2\n`);
  counts.malformedRows += 4;

  const stores = join(out, drop === 1 ? 'stores_d1.csv' : `stores_d${drop}_resend.csv`);
  await writeFile(stores, '\uFEFF' + (await readFile(stores, 'utf8')).replace(/\n/g, '\r\n'));
  if (drop === 1) {

    await reject('empty_file', 'orders/d1-empty.csv', '');
    const itemsText = 'order_id,line_number,product_id,quantity,unit_price,discount\n' + 'O00000001,1,P00001,1,9.99,0\n'.repeat(400);
    const gz = gzipSync(itemsText);
    await reject('bad_compression', 'order_items/d1-truncated.csv.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    await reject('not_text', 'events/d1-corrupt.ndjson', binaryNoise(seed, 4096));
    await reject('unparseable', 'products/d1-broken.json', '[{"product_id": "P00001", "product_name": "Lamp", "unit_price": 12.5},\n{"product_id": "P00002", "product_name": ');
    await reject('unknown_entity', 'suppliers_d1.csv', 'supplier_id,name\nSUP1,Acme\nSUP2,Globex\n');
    await reject('no_key_column', 'customers/d1-nokey.csv', 'first_name,last_name,email\nAda,Lovelace,ada@example.com\n');
  } else {
    // stores_dK_resend.csv holds the same bytes as stores_d1.csv: a duplicate delivery.
    counts.duplicateDeliveries += 1;
  }
  return counts;
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
