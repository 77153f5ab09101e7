import type { RunStore } from './run-store.ts';

/**
 * Saves a run's records (task states, log lines) one at a time in the order they were
 * made, without holding up the tasks: each record is a commit, a WAL sync of the state
 * database, and the next task waited on each with the CPU idle. After a write fails the
 * later ones are dropped, and
 * `check` or `flush` throws that failure, so the executor stops the run as it did when
 * it waited on every save.
 */
export class RunRecordWriter {
  private chain: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;

  constructor(private readonly store: RunStore) {}

  /** Queues a write after those queued before it. */
  enqueue(write: (store: RunStore) => Promise<unknown>): void {
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        await write(this.store);
      } catch (error) {
        this.failure = { error };
      }
    });
  }

  /** Throws the first write that failed, if one has. */
  check(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Waits for every queued write; throws the first that failed. */
  async flush(): Promise<void> {
    await this.chain;
    this.check();
  }
}
