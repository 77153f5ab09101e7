import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readLandingFile } from './read-landing-file.ts';

async function file(content: Buffer | string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rlf-'));
  const p = join(dir, 'f');
  await writeFile(p, content);
  return p;
}

test('hash of the delivered bytes; gzip inflated to a scratch copy and removed on dispose', async () => {
  const text = '{"a":1}\n'.repeat(50_000);
  const gz = gzipSync(text);
  const p = await file(gz);
  const b = await readLandingFile(p, join(p, '..', 'scratch'));
  assert.equal(b.hash, createHash('sha256').update(gz).digest('hex'));
  assert.equal(b.textBytes, text.length);
  assert.equal(await readFile(b.textPath, 'utf8'), text);
  assert.equal(b.blankLines, false);
  await b.dispose();
  await assert.rejects(readFile(b.textPath));
});

test('a truncated gzip is flagged, and still hashed over all its bytes', async () => {
  const gz = gzipSync('x,y\n'.repeat(10_000));
  const cut = gz.subarray(0, gz.length - 20);
  const b = await readLandingFile(await file(cut), await mkdtemp(join(tmpdir(), 'rlf-s-')));
  assert.match(b.gzipError ?? '', /unexpected end/);
  assert.equal(b.hash, createHash('sha256').update(cut).digest('hex'));
});

test('empty lines are found anywhere, also split across chunks and inside gzip', async () => {
  const scratch = await mkdtemp(join(tmpdir(), 'rlf-b-'));
  const line = '{"k":"' + 'v'.repeat(100) + '"}\n';
  const big = line.repeat(20_000); // several 1 MiB chunks
  for (const [content, want] of [
    [big, false],
    [big + '\n', true],
    ['\n' + big, true],
    // The first 1 MiB read ends with a line break and the next starts with an empty line.
    ['x'.repeat((1 << 20) - 1) + '\n' + '\r\n' + big, true],
    ['x'.repeat((1 << 20) - 1) + '\n' + big, false],
    [big.replace(/\n/g, '\r\n'), false],
  ] as const) {
    assert.equal((await readLandingFile(await file(content), scratch)).blankLines, want);
    assert.equal((await readLandingFile(await file(gzipSync(content)), scratch)).blankLines, want);
  }
});

test('readLandingFile tells whether a line starts with a space or tab, across chunk edges', async () => {
  const scratch = await mkdtemp(join(tmpdir(), 'rlf-i-'));
  const big = ('{"k":"' + 'v'.repeat(100) + ' x"}\n').repeat(20_000);
  for (const [content, want] of [
    [big, false],
    [big + '   \n', true],
    [' ' + big, true],
    ['\ufeff\t' + big, true],
    // The first 1 MiB read ends with a line break and the next starts with a tab.
    ['x'.repeat((1 << 20) - 1) + '\n' + '\t\n' + big, true],
  ] as const) {
    assert.equal((await readLandingFile(await file(content), scratch)).indentedLines, want);
    assert.equal((await readLandingFile(await file(gzipSync(content)), scratch)).indentedLines, want);
  }
});
