import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isGzip, SNIFF_BYTES } from './sniff-format.ts';

export interface FileBytes {
  /** sha256 of the bytes as delivered: the duplicate-delivery ledger key. */
  hash: string;
  head: Buffer;
  /** The text to parse: the file itself, or its inflated copy for gzip. */
  textPath: string;
  /** Size of that text in bytes. */
  textBytes: number;
  /** The text has an empty line (readers that skip them would shift line numbers). */
  blankLines: boolean;
  /**
   * A line starts with a space or tab. Only then can a line hold nothing but blanks, which
   * DuckDB's NDJSON reader skips without counting (a faster read needs to know it cannot).
   */
  indentedLines: boolean;
  /** Set when the file starts like gzip but does not inflate to its end (e.g. truncated). */
  gzipError?: string;
  /** Removes the inflated copy, if one was made. */
  dispose(): Promise<void>;
}

/**
 * One pass over a landing file's bytes: its hash, its head for sniffing and, for gzip,
 * an inflated copy in `scratchDir`. Inflating here rather than in DuckDB does two jobs:
 * a truncated stream is caught (DuckDB's readers stop quietly at the end of one), and
 * DuckDB then parses plain text with all its threads instead of one.
 */
export async function readLandingFile(path: string, scratchDir: string): Promise<FileBytes> {
  const fh = await open(path, 'r');
  const headBuf = Buffer.alloc(SNIFF_BYTES);
  const { bytesRead } = await fh.read(headBuf, 0, SNIFF_BYTES, 0);
  await fh.close();
  const head = headBuf.subarray(0, bytesRead);

  const gzipped = isGzip(head);
  const hash = createHash('sha256');
  const blanks = new BlankLineDetector();
  let size = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      if (!gzipped) blanks.scan(chunk);
      done(null, chunk);
    },
  });
  if (!gzipped) {
    await pipeline(
      createReadStream(path, { highWaterMark: 1 << 20 }),
      hashing,
      new Writable({ write: (_chunk, _enc, done) => done() }),
    );
    return {
      hash: hash.digest('hex'),
      head,
      textPath: path,
      textBytes: size,
      blankLines: blanks.found,
      indentedLines: blanks.indented,
      dispose: async () => undefined,
    };
  }

  await mkdir(scratchDir, { recursive: true });
  const textPath = join(scratchDir, `inflated-${randomBytes(6).toString('hex')}.txt`);
  let inflated = 0;
  let gzipError: string | undefined;
  const counting = new Transform({
    transform(chunk: Buffer, _enc, done) {
      inflated += chunk.length;
      blanks.scan(chunk);
      done(null, chunk);
    },
  });
  try {
    // 1 MiB chunks: with zlib's default 16 KiB, per-chunk stream overhead took most of the
    // time of inflating a large file.
    await pipeline(
      createReadStream(path, { highWaterMark: 1 << 20 }),
      hashing,
      createGunzip({ chunkSize: 1 << 20 }),
      counting,
      createWriteStream(textPath, { highWaterMark: 1 << 20 }),
    );
  } catch (err) {
    gzipError = (err as Error).message;
    // Finish the hash over the bytes the failed inflate did not read.
    for await (const chunk of createReadStream(path, { start: size })) hash.update(chunk as Buffer);
  }
  const dispose = () => rm(textPath, { force: true });
  return {
    hash: hash.digest('hex'),
    head,
    textPath,
    textBytes: inflated,
    blankLines: blanks.found,
    indentedLines: blanks.indented,
    ...(gzipError ? { gzipError } : {}),
    dispose,
  };
}

/**
 * The bytes of a file whose writer hashed it as it wrote it (a stream segment, see
 * SegmentShape): nothing is read. Its lines are JSON texts, so none is empty or starts
 * with a blank.
 */
export function writtenFileBytes(path: string, written: { sha256: string; bytes: number; head: Buffer }): FileBytes {
  return {
    hash: written.sha256,
    head: written.head,
    textPath: path,
    textBytes: written.bytes,
    blankLines: false,
    indentedLines: false,
    dispose: async () => undefined,
  };
}

/**
 * Whether text holds an empty line, or a line starting with a space or tab, looked for
 * with Buffer searches per chunk (native, not a loop over lines), minding a line break
 * split across two chunks.
 */
class BlankLineDetector {
  found = false;
  indented = false;
  private tail = Buffer.alloc(0);
  private first = true;

  scan(chunk: Buffer): void {
    if (this.found && this.indented) return;
    const text = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    if (this.first) {
      // A leading empty line also shifts numbering (a BOM is skipped first).
      const start = text[0] === 0xef ? 3 : 0;
      if (text[start] === 0x0a || (text[start] === 0x0d && text[start + 1] === 0x0a)) this.found = true;
      if (text[start] === 0x20 || text[start] === 0x09) this.indented = true;
      this.first = false;
    }
    if (text.indexOf('\n\n') >= 0 || text.indexOf('\n\r\n') >= 0) this.found = true;
    if (text.indexOf('\n ') >= 0 || text.indexOf('\n\t') >= 0) this.indented = true;
    this.tail = Buffer.from(text.subarray(Math.max(0, text.length - 2)));
  }
}
