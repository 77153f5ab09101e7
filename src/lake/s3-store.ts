import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { errorMessage, TransientError } from '../errors/index.ts';

export interface S3Options {
  /** An S3-compatible endpoint (MinIO, s3rver); AWS's own when not set. */
  endpoint?: string | undefined;
  /** AWS_REGION, else us-east-1, when not set. */
  region?: string | undefined;
  /**
   * Path-style addressing (`endpoint/bucket/key`), which most S3-compatible servers need; default: on with an endpoint.
   */
  forcePathStyle?: boolean | undefined;
  /** Credentials; the standard AWS chain (AWS_ACCESS_KEY_ID, profiles, roles) when not set. */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /**
   * Attempts per request, with the SDK's backoff between them, on throttling, 5xx and dropped connections (default 5).
   */
  maxAttempts?: number | undefined;
  /** Keys per list request (S3 allows at most 1000). */
  listPageSize?: number;
  /** Multipart part size in bytes (at least 5 MiB); larger files go in parts, several at a time. */
  partSize?: number;
}

export interface S3Object {
  key: string;
  size: number;
  etag: string;
}

/** The S3 operations the lake needs: paginated listing, downloads written aside, multipart uploads. */
export class S3Store {
  private readonly client: S3Client;
  private readonly attempts: number;

  constructor(private readonly opts: S3Options = {}) {
    this.attempts = opts.maxAttempts ?? 5;
    this.client = new S3Client({
      region: opts.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
      forcePathStyle: opts.forcePathStyle ?? opts.endpoint !== undefined,
      maxAttempts: this.attempts,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      ...(opts.accessKeyId && opts.secretAccessKey
        ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } }
        : {}),
    });
  }

  /** Every object under the prefix, following continuation tokens page by page. */
  async list(bucket: string, prefix: string): Promise<S3Object[]> {
    const out: S3Object[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(`list s3://${bucket}/${prefix}`, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ContinuationToken: token,
            MaxKeys: this.opts.listPageSize ?? 1000,
          }),
        ),
      );
      for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? '' });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  /** The object into a local file, written aside and renamed, so a broken transfer leaves nothing. */
  async download(bucket: string, key: string, path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.part`;
    try {
      await this.call(`get s3://${bucket}/${key}`, async () => {
        const r = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        await pipeline(r.Body as Readable, createWriteStream(tmp));
      });
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** A local file as one object; large files go in parts. The object appears whole, when the upload completes. */
  async upload(path: string, bucket: string, key: string): Promise<void> {
    await this.call(`put s3://${bucket}/${key}`, () =>
      new Upload({
        client: this.client,
        params: { Bucket: bucket, Key: key, Body: createReadStream(path) },
        partSize: this.opts.partSize ?? 8 * 2 ** 20,
        queueSize: 4,
        leavePartsOnError: false,
      }).done(),
    );
  }

  /** A small text object (a manifest) in one PUT: readers see the old object or the new one, whole. */
  async put(bucket: string, key: string, body: string, contentType = 'application/json'): Promise<void> {
    await this.call(`put s3://${bucket}/${key}`, () =>
      this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType })),
    );
  }

  /** Deletes the keys, up to 1000 per request (S3's limit). */
  async remove(bucket: string, keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const r = await this.call(`delete s3://${bucket}/${batch[0]}`, () =>
        this.client.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
        ),
      );
      if (r.Errors?.length)
        throw new TransientError(
          's3_failed',
          `deleting ${r.Errors.length} objects in s3://${bucket} failed: ${r.Errors[0]?.Message ?? r.Errors[0]?.Code}`,
          { subject: `s3://${bucket}/${r.Errors[0]?.Key ?? ''}` },
        );
    }
  }

  close(): void {
    this.client.destroy();
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new TransientError('s3_failed', `${what} failed after ${this.attempts} attempts: ${errorMessage(err)}`, {
        subject: what.split(' ')[1],
        hint: 'check the endpoint, bucket and credentials (s3 in the config or the AWS_* environment variables)',
        cause: err,
      });
    }
  }
}
