import type { LakeLayout } from '../lake/index.ts';
import type { StateDb } from '../state/index.ts';
import { IS_STREAM_DELIVERY } from './stream-delivery-path.ts';

/**
 * The bronze and rejects files of every landing file in the ledger (stream deliveries
 * left out: they have no landing file to come back from), as paths under the home.
 */
export async function landingFileOutputs(state: StateDb, layout: LakeLayout): Promise<string[]> {
  const rows = await state.all<{ p: string | null; r: string | null }>(
    `SELECT bronze_path AS p, rejects_path AS r FROM ingested_files WHERE NOT ${IS_STREAM_DELIVERY}`,
  );
  return rows
    .flatMap((d) => [d.p, d.r])
    .filter((x): x is string => x !== null)
    .map((p) => layout.resolve(p));
}

/** Forgets every landing file, so the next ingest reads them all again; stream deliveries stay. */
export async function forgetLandingFiles(state: StateDb): Promise<void> {
  await state.run(`DELETE FROM ingested_files WHERE NOT ${IS_STREAM_DELIVERY}`);
}
