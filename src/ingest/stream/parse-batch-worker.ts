/**
 * Runs on a parse thread (BatchParsers): a collector request's body, or a batch of
 * JetStream messages, to the lines its stream's logs take. It imports only what parsing
 * needs: each thread loads it. A bad body comes back as a coded error rather than a
 * thrown one, so its code and hint survive the trip to the event loop.
 */
import { errorMessage, errorToJson, TerminalError, type ErrorJson } from '../../errors/index.ts';
import { parseBatchBody, parseMessage, prepareBatch, type PreparedBatch } from './prepare-batch.ts';
import { STREAMS, type StreamSpec } from './stream-spec.ts';

export type ParseTask =
  | { stream: StreamSpec['name']; body: Uint8Array; gzip: boolean; receivedAt: string }
  | { stream: StreamSpec['name']; messages: Uint8Array[]; receivedAt: string };

export type ParseOutcome = { ok: true; batch: PreparedBatch } | { ok: false; error: ErrorJson };

export default function parseTask(task: ParseTask): ParseOutcome {
  const spec = STREAMS[task.stream];
  try {
    const records =
      'messages' in task ? task.messages.flatMap(parseMessage) : parseBatchBody(task.body, task.gzip, spec);
    return { ok: true, batch: prepareBatch(spec, records, task.receivedAt) };
  } catch (err) {
    // Anything parsing throws is the body's fault: a terminal bad_request unless it says more.
    return {
      ok: false,
      error: errorToJson(
        err instanceof TerminalError
          ? err
          : new TerminalError('bad_request', errorMessage(err), { subject: task.stream }),
      ),
    };
  }
}
