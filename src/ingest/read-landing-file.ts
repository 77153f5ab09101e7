import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { isGzip, SNIFF_BYTES } from './sniff-format.ts';

export interface FileBytes {
  hash: string;
  head: Buffer;
  /** Size of the text inside: the file size, or the inflated size for gzip. */
  textBytes: number;
  /** Set when the file starts like gzip but does not inflate to its end (e.g. truncated). */
  gzipError?: string;
}

/**
 * One pass over a landing file's bytes: its sha256 (the duplicate-delivery ledger key),
 * its head for sniffing, and for gzip a full inflate, because DuckDB's readers stop
 * quietly at the end of a truncated gzip stream instead of failing.
 */
export async function readLandingFile(path: string): Promise<FileBytes> {
  const fh = await open(path, 'r');
  const headBuf = Buffer.alloc(SNIFF_BYTES);
  const { bytesRead } = await fh.read(headBuf, 0, SNIFF_BYTES, 0);
  await fh.close();
  const head = headBuf.subarray(0, bytesRead);

  const hash = createHash('sha256');
  const gunzip = isGzip(head) ? createGunzip() : undefined;
  let gzipError: string | undefined;
  let size = 0;
  let inflatedSize = 0;
  const inflated = gunzip
    ? new Promise<void>((resolve) => {
        gunzip.on('data', (chunk: Buffer) => {
          inflatedSize += chunk.length;
        });
        gunzip.on('end', resolve);
        gunzip.on('error', (err) => {
          gzipError = err.message;
          resolve();
        });
      })
    : Promise.resolve();
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    stream.on('data', (chunk) => {
      hash.update(chunk);
      size += chunk.length;
      if (gunzip && !gzipError) gunzip.write(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => {
      gunzip?.end();
      resolve();
    });
  });
  await inflated;
  return { hash: hash.digest('hex'), head, textBytes: gunzip ? inflatedSize : size, ...(gzipError ? { gzipError } : {}) };
}
