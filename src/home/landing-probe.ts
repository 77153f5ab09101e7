import { discoverLanding, pendingLandingFiles } from '../ingest/index.ts';
import { isS3Url, parseS3Url, S3Store, unmirroredObjects, type LakeLayout, type S3Options } from '../lake/index.ts';
import type { StateDb } from '../state/index.ts';

/** What the landing watcher asks of a landing zone, a local folder or an s3:// prefix alike. */
export interface LandingProbe {
  /** A fingerprint of the zone's listing (names, sizes, versions): it changes when a file arrives or changes. */
  snapshot(): Promise<string>;
  /** How many files a run would find new or changed. */
  pending(): Promise<number>;
  close(): void;
}

export function landingProbe(landing: string, state: StateDb, layout: LakeLayout, s3?: S3Options): LandingProbe {
  if (!isS3Url(landing)) {
    return {
      snapshot: async () =>
        (await discoverLanding(landing).catch(() => [])).map((f) => `${f.rel}\0${f.size}\0${f.mtimeMs}`).join('\n'),
      pending: async () => (await pendingLandingFiles(state, layout, landing)).pending.length,
      close: () => undefined,
    };
  }
  // A listing is a request per 1000 keys; the watcher's interval is the knob on its cost.
  const from = parseS3Url(landing);
  const store = new S3Store(s3);
  const mirror = layout.landingMirror(from.bucket, from.prefix);
  return {
    snapshot: async () =>
      (await store.list(from.bucket, from.prefix)).map((o) => `${o.key}\0${o.size}\0${o.etag}`).join('\n'),
    pending: async () => (await unmirroredObjects(store, from, mirror)).wanted.length,
    close: () => store.close(),
  };
}
