import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { BatchParsers } from './batch-parsers.ts';

test(
  'request bodies are parsed and checked on the parse threads, with a bad body refused by its code',
  { timeout: 30_000 },
  async () => {
    const parsers = new BatchParsers(2);
    try {
      const body = gzipSync(JSON.stringify([{ event_id: 'e1' }, { device: 'web' }]));
      const batch = await parsers.parse('events', body, true, '2026-12-02T00:00:00.000Z');
      assert.deepEqual(batch.good, ['{"event_id":"e1"}']);
      assert.deepEqual(batch.rejected, [{ index: 1, reason: 'missing_key', detail: 'event_id is empty' }]);
      await assert.rejects(
        parsers.parse('orders', Buffer.from('[{'), false),
        (err: Error & { code?: string; subject?: string; hint?: string }) =>
          err.code === 'bad_request' && err.subject === 'orders' && /JSON array/.test(err.hint ?? ''),
      );
      // Many at once, across both threads, each answered with its own records.
      const many = await Promise.all(
        Array.from({ length: 50 }, (_, i) => parsers.parse('events', Buffer.from(`{"event_id":"m${i}"}\n`), false)),
      );
      assert.deepEqual(
        many.map((b) => b.good[0]),
        Array.from({ length: 50 }, (_, i) => `{"event_id":"m${i}"}`),
      );
      // JetStream messages, one batch of them: records indexed across the messages.
      const messages = await parsers.parseMessages('events', [
        Buffer.from('{"event_id":"j1"}'),
        Buffer.from('[{"event_id":"j2"},{"x":1}]'),
        Buffer.from(''),
      ]);
      assert.deepEqual(messages.good, ['{"event_id":"j1"}', '{"event_id":"j2"}']);
      assert.deepEqual(
        messages.rejected.map((r) => r.index),
        [2],
      );
    } finally {
      await parsers.close();
    }
  },
);
