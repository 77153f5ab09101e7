import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomically } from './atomic-write.ts';
import type { S3Object, S3Store } from './s3-store.ts';
import type { S3Location } from './s3-url.ts';

export interface MirrorResult {
  listed: number;
  downloaded: number;
  bytes: number;
}

const INDEX = '.s3-mirror.json';

/**
 * Brings a local folder up to date with an S3 prefix: objects that are new, or whose
 * ETag or size changed since the last mirror, are downloaded (each written aside, then
 * renamed); objects still being written by their producer (`*.tmp`, `*.part`) and folder
 * markers are left. The folder is then an ordinary landing folder: the run ingests from
 * it, and the ledger's content hashes still skip re-deliveries. Objects deleted in S3 stay.
 */
export async function mirrorS3Prefix(
  store: S3Store,
  from: S3Location,
  dir: string,
  onFile?: (done: number, total: number, key: string) => void,
): Promise<MirrorResult> {
  const { objects, wanted, index } = await unmirroredObjects(store, from, dir);
  let bytes = 0;
  for (const [i, o] of wanted.entries()) {
    await store.download(from.bucket, o.key, join(dir, o.rel));
    index[o.rel] = stamp(o);
    bytes += o.size;
    onFile?.(i + 1, wanted.length, o.key);
  }
  if (wanted.length) await writeAtomically(join(dir, INDEX), (tmp) => writeFile(tmp, JSON.stringify(index)));
  return { listed: objects.length, downloaded: wanted.length, bytes };
}

/** The prefix's objects, and those of them the local mirror lacks or holds an older version of. */
export async function unmirroredObjects(
  store: S3Store,
  from: S3Location,
  dir: string,
): Promise<{ objects: S3Object[]; wanted: Array<S3Object & { rel: string }>; index: Record<string, string> }> {
  const index: Record<string, string> = await readFile(join(dir, INDEX), 'utf8').then(
    (t) => JSON.parse(t) as Record<string, string>,
    () => ({}),
  );
  const objects = (await store.list(from.bucket, from.prefix)).filter(
    (o) => !o.key.endsWith('/') && !/\.(tmp|part)$/i.test(o.key),
  );
  const present = async (rel: string, size: number) =>
    stat(join(dir, rel)).then(
      (s) => s.size === size,
      () => false,
    );
  const wanted = [];
  for (const o of objects) {
    const rel = o.key.slice(from.prefix.length);
    if (index[rel] !== stamp(o) || !(await present(rel, o.size))) wanted.push({ ...o, rel });
  }
  return { objects, wanted, index };
}

const stamp = (o: { etag: string; size: number }) => `${o.etag}/${o.size}`;
