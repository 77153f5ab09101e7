import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Store } from './s3-store.ts';
import type { S3Location } from './s3-url.ts';

export const MANIFEST = '_manifest.json';

/**
 * A local folder's files to an S3 prefix, then `_manifest.json` naming them with their
 * sizes. Objects appear one by one in S3, so a reader takes the manifest as the unit: it
 * is written last and replaced whole, and lists exactly the files of one complete export.
 */
export async function uploadDirectory(store: S3Store, dir: string, to: S3Location, meta: Record<string, unknown> = {}): Promise<Array<{ key: string; size: number }>> {
  const files: Array<{ key: string; size: number }> = [];
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    const s = await stat(path);
    if (!s.isFile() || name === MANIFEST) continue;
    await store.upload(path, to.bucket, `${to.prefix}${name}`);
    files.push({ key: `${to.prefix}${name}`, size: s.size });
  }
  const manifest = join(dir, MANIFEST);
  await writeFile(manifest, JSON.stringify({ ...meta, writtenAt: new Date().toISOString(), files }, null, 2));
  await store.upload(manifest, to.bucket, `${to.prefix}${MANIFEST}`);
  return files;
}
