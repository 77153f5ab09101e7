import type { StateDb } from '../state/index.ts';
import type { LakeLayout } from '../lake/index.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { discoverLanding } from './discover-landing.ts';
import { FileLedger } from '../ledger/index.ts';
import type { LandingFile } from '../ledger/index.ts';
import { isDeadAndUnchanged } from './ingest-landing.ts';

/**
 * The landing files a run would read now: not handled before with this size and mtime,
 * and not a dead letter left alone until it is replayed or changes.
 */
export async function pendingLandingFiles(
  db: StateDb,
  layout: LakeLayout,
  landing: string,
): Promise<{ files: LandingFile[]; pending: LandingFile[] }> {
  const files = await discoverLanding(landing);
  const ledger = await FileLedger.load(db, layout);
  const letters = await new DeadLetterQueue(db).open();
  const pending = files.filter((f) => {
    const letter = letters.get(f.rel);
    return !ledger.isUnchanged(f) && !(letter && isDeadAndUnchanged(letter, f));
  });
  return { files, pending };
}
