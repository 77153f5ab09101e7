import type { StateDb } from '../state/index.ts';

export interface LedgerTallies {
  ingested: number;
  duplicateDeliveries: number;
  /** Quarantined files per contract reason. */
  quarantined: Record<string, number>;
  /** Lines the readers could not parse, per entity (of files otherwise ingested). */
  malformedRows: Record<string, number>;
}

/** What the ledger counts for the quality report. */
export async function ledgerTallies(state: StateDb): Promise<LedgerTallies> {
  const count = async (status: string) =>
    Number(await state.scalar('SELECT count(*) FROM ingested_files WHERE status = $status', { status }));
  const quarantined = await state.all<{ reason: string; n: number }>(
    `SELECT reason, count(*)::INTEGER AS n FROM ingested_files
     WHERE status = 'quarantined' GROUP BY reason ORDER BY reason`,
  );
  const malformed = await state.all<{ entity: string; n: number }>(
    `SELECT entity, sum(rows_rejected)::INTEGER AS n FROM ingested_files
     WHERE status = 'ingested' AND rows_rejected > 0 GROUP BY entity`,
  );
  return {
    ingested: await count('ingested'),
    duplicateDeliveries: await count('duplicate'),
    quarantined: Object.fromEntries(quarantined.map((q) => [q.reason, Number(q.n)])),
    malformedRows: Object.fromEntries(malformed.map((m) => [m.entity, Number(m.n)])),
  };
}

/** Ingested files per entity (one entity, or all). */
export async function filesPerEntity(state: StateDb, entity?: string): Promise<Map<string, number>> {
  const rows = await state.all<{ entity: string; files: number }>(
    `SELECT entity, count(*)::INTEGER AS files FROM ingested_files
     WHERE status = 'ingested' AND ($entity::VARCHAR IS NULL OR entity = $entity) GROUP BY entity`,
    { entity: entity ?? null },
  );
  return new Map(rows.map((r) => [r.entity, Number(r.files)]));
}

export interface FilesByStatus {
  status: string;
  entity: string;
  files: number;
  rows: number;
  rejected: number;
}

/** Files, rows and rejected lines per status and entity (`-` for files of no entity). */
export async function filesByStatus(state: StateDb): Promise<FilesByStatus[]> {
  const rows = await state.all<{ status: string; entity: string; files: number; rows: bigint; rejected: bigint }>(
    `SELECT status, coalesce(entity, '-') AS entity, count(*)::INTEGER AS files,
       coalesce(sum(rows_ok), 0)::BIGINT AS rows, coalesce(sum(rows_rejected), 0)::BIGINT AS rejected
     FROM ingested_files GROUP BY status, coalesce(entity, '-') ORDER BY status, entity`,
  );
  return rows.map((f) => ({ ...f, files: Number(f.files), rows: Number(f.rows), rejected: Number(f.rejected) }));
}
