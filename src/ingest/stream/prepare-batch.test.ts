import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { parseBatchBody, parseMessage, prepareBatch } from './prepare-batch.ts';
import { STREAMS } from './stream-spec.ts';

const events = STREAMS.events;
const bytes = (s: string) => new TextEncoder().encode(s);

test('a body is a JSON array or NDJSON, gzipped or not; a line that does not parse is kept as that record', () => {
  assert.deepEqual(parseBatchBody(bytes('\uFEFF[{"event_id":"a"},{"event_id":"b"}]'), false, events), [
    { event_id: 'a' },
    { event_id: 'b' },
  ]);
  assert.deepEqual(parseBatchBody(gzipSync('{"event_id":"a"}\n{oops\n\n'), true, events), [{ event_id: 'a' }, '{oops']);
  const refused = (code: string, message: RegExp) => (err: Error & { code?: string }) =>
    err.code === code && message.test(err.message);
  assert.throws(() => parseBatchBody(bytes(''), false, events), refused('bad_request', /empty/));
  assert.throws(
    () => parseBatchBody(bytes('[{"event_id":'), false, events),
    refused('bad_request', /not a valid JSON array/),
  );
  assert.throws(() => parseBatchBody(bytes('not gzip'), true, events), refused('bad_request', /not valid gzip/));
});

test('a JetStream message is one object, an array or NDJSON; an empty one holds no record', () => {
  assert.deepEqual(parseMessage(bytes('{"event_id":"a"}')), [{ event_id: 'a' }]);
  assert.deepEqual(parseMessage(bytes(' [{"event_id":"a"},{"event_id":"b"}]\n')), [
    { event_id: 'a' },
    { event_id: 'b' },
  ]);
  assert.deepEqual(parseMessage(bytes('{"event_id":"a"}\n{oops\n')), [{ event_id: 'a' }, '{oops']);
  assert.deepEqual(parseMessage(bytes('  ')), []);
});

test(
  'every record gets a verdict: good ones as log lines with ' +
    'their keys, bad ones quarantined with reason and index',
  () => {
    const b = prepareBatch(
      events,
      [
        { event_id: 'e1', device: 'web' },
        '{oops',
        { device: 'web' },
        null,
        { event_id: ' ', x: 1 },
        { event_id: 'e2', extra: true },
      ],
      '2026-12-02T00:00:00.000Z',
    );
    assert.deepEqual(b.good, ['{"event_id":"e1","device":"web"}', '{"event_id":"e2","extra":true}']);
    assert.deepEqual(b.keys, ['event_id', 'device', 'extra']);
    assert.deepEqual(
      b.rejected.map((r) => [r.index, r.reason]),
      [
        [1, 'malformed_row'],
        [2, 'missing_key'],
        [3, 'malformed_row'],
        [4, 'missing_key'],
      ],
    );
    assert.deepEqual(JSON.parse(b.bad[0]!), {
      reason: 'malformed_row',
      detail: 'a JSON string, not an object',
      raw: '{oops',
      received_at: '2026-12-02T00:00:00.000Z',
      index: 1,
    });
    assert.equal(JSON.parse(b.bad[1]!).raw, '{"device":"web"}');
  },
);
