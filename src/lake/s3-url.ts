/** A bucket and a key prefix: `s3://bucket/some/prefix` (the prefix ends in `/`, or is empty). */
export interface S3Location {
  bucket: string;
  prefix: string;
}

export function isS3Url(value: string): boolean {
  return value.startsWith('s3://');
}

export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) throw new RangeError(`"${url}" is not an S3 URL (s3://bucket[/prefix])`);
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { bucket: m[1]!, prefix: prefix ? `${prefix}/` : '' };
}
