import { Piscina } from 'piscina';
import { errorFromJson } from '../../errors/index.ts';
import type { ParseOutcome, ParseTask } from './parse-batch-worker.ts';
import type { PreparedBatch } from './prepare-batch.ts';
import type { StreamSpec } from './stream-spec.ts';

/**
 * The collector's request bodies parsed and checked on worker threads (piscina), not on
 * the event loop that acknowledges. V8 interns the short string values JSON.parse meets
 * (event ids such as "b-1234567"), and with many new ids a second its string table's
 * resizes (StringTable::Data::Resize under JsonParser) stopped the event loop for long
 * pauses, while every acknowledgement waited. On a thread of its
 * own such a pause holds only the request that thread has; the others go to the next.
 */
export class BatchParsers {
  private readonly pool: Piscina<ParseTask, ParseOutcome>;

  constructor(threads: number) {
    this.pool = new Piscina({
      filename: new URL('./parse-batch-worker.ts', import.meta.url).href,
      // The threads load TypeScript as this process does.
      execArgv: ['--import', import.meta.resolve('tsx')],
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Infinity,
    });
  }

  /** A collector request's body. */
  parse(
    stream: StreamSpec['name'],
    body: Uint8Array,
    gzip: boolean,
    receivedAt = new Date().toISOString(),
  ): Promise<PreparedBatch> {
    return this.run({ stream, body, gzip, receivedAt });
  }

  /** A batch of JetStream messages (each an object, an array or NDJSON), as one. */
  parseMessages(
    stream: StreamSpec['name'],
    messages: Uint8Array[],
    receivedAt = new Date().toISOString(),
  ): Promise<PreparedBatch> {
    return this.run({ stream, messages, receivedAt });
  }

  private async run(task: ParseTask): Promise<PreparedBatch> {
    const outcome = await this.pool.run(task);
    if (outcome.ok) return outcome.batch;
    throw errorFromJson(outcome.error);
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
