import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorFromJson, errorToJson } from './error-json.ts';
import { ShoplakeError, TerminalError, TransientError } from './shoplake-error.ts';

test('an error crosses a boundary as JSON and comes back with its code, kind, subject and hint', () => {
  const back = errorFromJson(
    structuredClone(
      errorToJson(
        new TransientError('engine_process_exited', 'gone', { subject: 'engine process', hint: 'run again' }),
      ),
    ),
  ) as ShoplakeError;
  assert.ok(back instanceof ShoplakeError);
  assert.deepEqual(
    [back.code, back.kind, back.message, back.subject, back.hint],
    ['engine_process_exited', 'transient', 'gone', 'engine process', 'run again'],
  );
  assert.equal((errorFromJson(errorToJson(new TerminalError('bad_request', 'no'))) as ShoplakeError).kind, 'terminal');
  const plain = errorFromJson(errorToJson(new Error('Catalog Error: missing')));
  assert.ok(!(plain instanceof ShoplakeError));
  assert.equal(plain.message, 'Catalog Error: missing');
  // A kind this side does not know is not trusted to decide retries.
  assert.ok(!(errorFromJson({ message: 'x', code: 'internal', kind: 'internal' as never }) instanceof ShoplakeError));
});
