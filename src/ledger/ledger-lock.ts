import type { StateDb } from '../state/index.ts';

const held = new WeakMap<StateDb, Promise<void>>();

/**
 * The file ledger hands out sequence numbers; ingesting landing files and delivering
 * stream batches both take them, so in one process they take turns on a state store.
 */
export async function withLedgerLock<T>(db: StateDb, work: () => Promise<T>): Promise<T> {
  const before = held.get(db) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  held.set(
    db,
    before.then(() => mine),
  );
  await before;
  try {
    return await work();
  } finally {
    release();
  }
}
