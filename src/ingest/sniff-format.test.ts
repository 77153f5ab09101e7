import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { sniffFormat, sniffDelimiter } from './sniff-format.ts';

const sniff = (s: string | Buffer) => {
  const b = Buffer.isBuffer(s) ? s : Buffer.from(s);
  return sniffFormat(b, b.length);
};

test('formats are told by content, not extension', () => {
  assert.deepEqual(sniff('a,b\n1,2\n'), { ok: true, compression: 'none', format: 'csv', delimiter: ',' });
  assert.deepEqual(sniff('\uFEFFa;b\r\n1;2\r\n'), { ok: true, compression: 'none', format: 'csv', delimiter: ';' });
  assert.equal((sniff('a|b|c\n1|2|3\n') as { delimiter: string }).delimiter, '|');
  assert.equal((sniff('a\tb\n1\t2\n') as { delimiter: string }).delimiter, '\t');
  assert.equal((sniff('  [{"a":1}]') as { format: string }).format, 'json');
  assert.equal((sniff('{"a":1}\n{"a":2}\n') as { format: string }).format, 'ndjson');
  assert.equal((sniff('{"items":[{"a":1}]}') as { format: string }).format, 'json');
  assert.equal((sniff('{\n  "items": [\n {"a":1}]}') as { format: string }).format, 'json');
  assert.deepEqual(sniff(gzipSync('x,y\n1,2\n')), { ok: true, compression: 'gzip', format: 'csv', delimiter: ',' });
});

test('file-level rejects carry their contract reason', () => {
  assert.equal((sniff('') as { reason: string }).reason, 'empty_file');
  assert.equal((sniff('  \n\n') as { reason: string }).reason, 'empty_file');
  assert.equal((sniff(Buffer.from([1, 2, 0, 200, 3])) as { reason: string }).reason, 'not_text');
  assert.equal((sniff(Buffer.from([0x1f, 0x8b, 9, 9, 9, 9])) as { reason: string }).reason, 'bad_compression');
  assert.equal((sniff('just some words\nand more words\n') as { reason: string }).reason, 'unparseable');
});

test('a delimiter that quotes hide is not counted', () => {
  assert.equal(sniffDelimiter(['id;name', '1;"a, b, c"']), ';');
});

test('property: any table written with a delimiter is sniffed back with it', () => {
  const cell = fc.stringMatching(/^[A-Za-z0-9 _.-]{1,8}$/);
  fc.assert(
    fc.property(
      fc.constantFrom(',', ';', '|', '\t'),
      fc.integer({ min: 2, max: 8 }),
      fc.array(fc.array(cell, { minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 20 }),
      (d, width, rows) => {
        const text = rows.map((r) => r.slice(0, width).join(d)).join('\n');
        const s = sniff(`${Array.from({ length: width }, (_, i) => `col${i}`).join(d)}\n${text}\n`);
        return s.ok && s.format === 'csv' && s.delimiter === d;
      },
    ),
  );
});
