import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from './redact-url.ts';

test('a URL in a message keeps its user and host, never its password', () => {
  assert.equal(
    redactUrl('postgres://app:s3cret@db.example:5432/shop?schema=x'),
    'postgres://app:***@db.example:5432/shop?schema=x',
  );
  assert.equal(redactUrl('postgres://postgres@127.0.0.1:5432/postgres'), 'postgres://postgres@127.0.0.1:5432/postgres');
});
