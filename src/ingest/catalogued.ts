import { registerSchema } from '../catalog/index.ts';
import type { StateDb } from '../state/index.ts';
import type { FileOutcome } from './file-outcome.ts';

/**
 * The outcome with its schema registered in the state store's catalog. Ingesting a file
 * never does that itself (a worker has no state store): the owner of the state
 * registers schemas in ledger order, so versions come out the same however files ran.
 */
export async function catalogued(state: StateDb, o: FileOutcome): Promise<FileOutcome> {
  if (o.status !== 'ingested' || !o.entity || !o.columns) return o;
  const schema = await registerSchema(state, o.entity, o.file.rel, o.columns);
  return { ...o, schemaVersion: schema.version, drift: schema.drift };
}
