import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isS3Url, parseS3Url } from './s3-url.ts';

test('S3 URLs split into bucket and a prefix ending in /', () => {
  assert.deepEqual(parseS3Url('s3://shop-lake/landing/'), { bucket: 'shop-lake', prefix: 'landing/' });
  assert.deepEqual(parseS3Url('s3://shop-lake/a/b'), { bucket: 'shop-lake', prefix: 'a/b/' });
  assert.deepEqual(parseS3Url('s3://shop-lake'), { bucket: 'shop-lake', prefix: '' });
  assert.throws(() => parseS3Url('s3://UPPER/x'), /not an S3 URL/);
  assert.throws(() => parseS3Url('https://x/y'), /not an S3 URL/);
  assert.equal(isS3Url('s3://b/p'), true);
  assert.equal(isS3Url('demo/landing'), false);
});
