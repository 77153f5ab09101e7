import type { LakeLayout } from '../lake/index.ts';
import type { StateDb } from '../state/index.ts';
import { IS_STREAM_DELIVERY } from './stream-delivery-path.ts';

/** The highest sequence number handed out (0 for an empty ledger). */
export async function highestSeq(state: StateDb): Promise<number> {
  return Number((await state.scalar('SELECT coalesce(max(seq), 0) FROM ingested_files')) ?? 0);
}

/** The bronze files of every ingested file up to `seq`, per entity, in ledger order. */
export async function bronzeFilesThrough(
  state: StateDb,
  layout: LakeLayout,
  seq: number,
): Promise<Record<string, string[]>> {
  const rows = await state.all<{ entity: string; bronze_path: string }>(
    "SELECT entity, bronze_path FROM ingested_files WHERE status = 'ingested' AND seq <= $seq ORDER BY seq",
    { seq },
  );
  const files: Record<string, string[]> = {};
  for (const r of rows) (files[r.entity] ??= []).push(layout.resolve(r.bronze_path));
  return files;
}

/** One entity's stream deliveries in bronze after `afterSeq`, in sequence order. */
export async function streamDeliveriesAfter(
  state: StateDb,
  layout: LakeLayout,
  entity: string,
  afterSeq: number,
): Promise<Array<{ seq: number; path: string }>> {
  const rows = await state.all<{ seq: number; bronze_path: string }>(
    `SELECT seq, bronze_path FROM ingested_files
     WHERE entity = $entity AND status = 'ingested' AND ${IS_STREAM_DELIVERY} AND seq > $after ORDER BY seq`,
    { entity, after: afterSeq },
  );
  return rows.map((r) => ({ seq: Number(r.seq), path: layout.resolve(r.bronze_path) }));
}

export interface QuarantinedFile {
  path: string;
  entity: string | null;
  reason: string;
  detail: string | null;
  ingested_at: string;
}

/** Every quarantined landing file, newest first. */
export async function quarantinedFiles(state: StateDb): Promise<QuarantinedFile[]> {
  return state.all<QuarantinedFile>(
    `SELECT path, entity, reason, detail, ingested_at::VARCHAR AS ingested_at
     FROM ingested_files WHERE status = 'quarantined' ORDER BY seq DESC`,
  );
}
