import { join } from 'node:path';
import type { LakeLayout } from './lake-layout.ts';
import { filesOf, publishVersion, syncImmutable } from './publish-to-s3.ts';
import { S3Store, type S3Options } from './s3-store.ts';
import { isS3Url, parseS3Url, type S3Location } from './s3-url.ts';

/**
 * The lake on S3 (`lake.url: s3://bucket/prefix`): the home's lake copied there after each
 * publish, laid out as the home's is.
 *
 *   <prefix>bronze/<entity>/<seq>-<hash>.parquet             immutable, uploaded once
 *   <prefix>bronze/<entity>/stream/<day>/…                   stream deliveries; removed once merged into an hour's file
 *   <prefix>quarantine/files/… and quarantine/rows/bronze/…  immutable, uploaded once
 *   <prefix>silver/_manifest.json → silver/v=<run>/…         silver tables and silver_rejects
 *   <prefix>gold/_manifest.json → gold/v=<run>/…
 *   <prefix>processed/date=<day>/_manifest.json → processed/date=<day>/v=<run>/…
 *
 * Readers follow the manifests (see publishVersion), so they always see one whole version.
 */
export class S3Lake {
  private constructor(
    private readonly opts: S3Options,
    readonly root: S3Location,
  ) {}

  /** The S3 lake of a `lake.url`, or undefined for a local one. */
  static of(lakeUrl: string | undefined, opts: S3Options | undefined): S3Lake | undefined {
    return lakeUrl && isS3Url(lakeUrl) ? new S3Lake(opts ?? {}, parseS3Url(lakeUrl)) : undefined;
  }

  get url(): string {
    return `s3://${this.root.bucket}/${this.root.prefix}`;
  }

  /** Bronze and quarantine files the bucket lacks, then silver and gold as new versions. */
  async publishZones(
    layout: LakeLayout,
    version: string,
    meta: Record<string, unknown>,
    onStep?: (what: string) => void,
  ): Promise<void> {
    await withS3Store(this.opts, async (s3) => {
      await this.syncBronze(s3, layout);
      await syncImmutable(s3, join(layout.lake, 'quarantine', 'files'), this.at('quarantine/files/'));
      await syncImmutable(s3, layout.bronzeRejectsDir, this.at('quarantine/rows/bronze/'));
      onStep?.(`${this.url}bronze`);
      const silver = [
        ...(await filesOf(layout.zone('silver'))),
        { path: layout.silverRejects, name: 'silver_rejects.parquet' },
      ];
      await publishVersion(s3, silver, this.at('silver/'), version, meta);
      onStep?.(`${this.url}silver`);
      await publishVersion(s3, await filesOf(layout.zone('gold')), this.at('gold/'), version, meta);
      onStep?.(`${this.url}gold`);
    });
  }

  /** Bronze files the bucket lacks uploaded; stream deliveries merged away locally (compactStreamBronze) removed. */
  async publishBronze(layout: LakeLayout): Promise<{ uploaded: number; removed: number }> {
    return withS3Store(this.opts, (s3) => this.syncBronze(s3, layout));
  }

  private syncBronze(s3: S3Store, layout: LakeLayout): Promise<{ uploaded: number; removed: number }> {
    return syncImmutable(s3, layout.bronze, this.at('bronze/'), {
      prune: (rel) => /^[^/]+\/stream\/[^/]+\/[^/]+\.parquet$/.test(rel),
    });
  }

  /** One logical date's processed partition (a local folder) as a new version. */
  async publishProcessed(
    dir: string,
    logicalDate: string,
    version: string,
    meta: Record<string, unknown>,
  ): Promise<void> {
    await withS3Store(this.opts, async (s3) =>
      publishVersion(s3, await filesOf(dir), this.at(`processed/date=${logicalDate}/`), version, meta),
    );
  }

  private at(path: string): S3Location {
    return { bucket: this.root.bucket, prefix: `${this.root.prefix}${path}` };
  }
}

/** A store for the length of `fn`, its connections closed after. */
export async function withS3Store<T>(opts: S3Options, fn: (s3: S3Store) => Promise<T>): Promise<T> {
  const s3 = new S3Store(opts);
  try {
    return await fn(s3);
  } finally {
    s3.close();
  }
}
