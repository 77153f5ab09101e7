import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { S3Store } from './s3-store.ts';
import type { S3Location } from './s3-url.ts';

export const MANIFEST = '_manifest.json';

/** Versions kept under a prefix: the one the manifest names and the one before, which a reader may still be reading. */
const KEEP_VERSIONS = 2;

/**
 * Files to an S3 prefix as one version readers see whole: uploaded under
 * `<prefix>v=<version>/`, then `<prefix>_manifest.json` naming that version's files and
 * sizes is replaced (a single PUT, so readers see the old manifest or the new one). A
 * reader follows the manifest, never a listing, so it cannot mix two versions. Versions
 * older than the previous one are deleted after.
 */
export async function publishVersion(
  store: S3Store,
  files: ReadonlyArray<{ path: string; name: string }>,
  to: S3Location,
  version: string,
  meta: Record<string, unknown> = {},
): Promise<Array<{ key: string; size: number }>> {
  const base = `${to.prefix}v=${version}/`;
  const uploaded: Array<{ key: string; size: number }> = [];
  for (const f of files) {
    await store.upload(f.path, to.bucket, `${base}${f.name}`);
    uploaded.push({ key: `${base}${f.name}`, size: (await stat(f.path)).size });
  }
  await store.put(
    to.bucket,
    `${to.prefix}${MANIFEST}`,
    JSON.stringify({ ...meta, version, writtenAt: new Date().toISOString(), files: uploaded }, null, 2),
  );
  const versions = new Map<string, string[]>();
  for (const o of await store.list(to.bucket, `${to.prefix}v=`)) {
    const v = o.key.slice(to.prefix.length).split('/')[0]!;
    versions.set(v, [...(versions.get(v) ?? []), o.key]);
  }
  const stale = [...versions.keys()]
    .sort()
    .reverse()
    .filter((v) => v !== `v=${version}`)
    .slice(KEEP_VERSIONS - 1);
  await store.remove(
    to.bucket,
    stale.flatMap((v) => versions.get(v)!),
  );
  return uploaded;
}

/** The files of a folder (not its subfolders), for publishVersion. */
export async function filesOf(dir: string): Promise<Array<{ path: string; name: string }>> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => ({ path: join(dir, e.name), name: e.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Files that never change once written (bronze and quarantine files are named by ledger
 * sequence and content hash) copied to S3 when the bucket lacks them or holds another size.
 * Keys `prune` picks (relative to the prefix) that the folder no longer has are removed:
 * stream deliveries merged by compaction.
 */
export async function syncImmutable(
  store: S3Store,
  dir: string,
  to: S3Location,
  opts: { prune?: (rel: string) => boolean } = {},
): Promise<{ uploaded: number; removed: number }> {
  const present = new Map((await store.list(to.bucket, to.prefix)).map((o) => [o.key, o.size]));
  const local = (await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []))
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !/\.(tmp|part)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
  let uploaded = 0;
  const keys = new Set<string>();
  for (const path of local) {
    const key = `${to.prefix}${relative(dir, path).split(sep).join('/')}`;
    keys.add(key);
    const size = (await stat(path)).size;
    if (present.get(key) === size) continue;
    await store.upload(path, to.bucket, key);
    uploaded++;
  }
  const prune = opts.prune;
  const gone = prune ? [...present.keys()].filter((k) => !keys.has(k) && prune(k.slice(to.prefix.length))) : [];
  if (gone.length) await store.remove(to.bucket, gone);
  return { uploaded, removed: gone.length };
}
