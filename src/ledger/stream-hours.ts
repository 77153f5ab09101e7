import type { StateDb } from '../state/index.ts';
import { IS_STREAM_DELIVERY } from './stream-delivery-path.ts';

/** The deliveries of one stream in one hour, by the range of their sequence numbers. */
export interface DeliveryHour {
  hour: string;
  first: number;
  last: number;
}

/** The ledger rows of one stream's deliveries (`$entity`). */
const OF_STREAM = `entity = $entity AND status = 'ingested' AND ${IS_STREAM_DELIVERY}`;

/** Those of one hour; the merge and the switch both select them by it. */
const IN_HOUR = `${OF_STREAM} AND seq BETWEEN $first AND $last
                 AND date_trunc('hour', ingested_at) = CAST($hour AS TIMESTAMP)`;

const hourParams = (entity: string, h: DeliveryHour) => ({ entity, first: h.first, last: h.last, hour: h.hour });

/** Hours before `closedBefore` whose deliveries of `entity` lie in more than one bronze file. */
export async function unmergedHours(state: StateDb, entity: string, closedBefore: Date): Promise<DeliveryHour[]> {
  const hours = await state.all<{ hour: string; first: number; last: number }>(
    `SELECT CAST(date_trunc('hour', ingested_at) AS VARCHAR) AS hour, min(seq) AS first, max(seq) AS last
     FROM ingested_files
     WHERE ${OF_STREAM} AND ingested_at < $closed::TIMESTAMP
     GROUP BY 1 HAVING count(DISTINCT bronze_path) > 1 ORDER BY 1`,
    { entity, closed: closedBefore.toISOString() },
  );
  return hours.map((h) => ({ hour: h.hour, first: Number(h.first), last: Number(h.last) }));
}

/** The deliveries of one hour: their bronze files (relative to the home) and rows. */
export async function deliveriesOfHour(
  state: StateDb,
  entity: string,
  hour: DeliveryHour,
): Promise<Array<{ bronzePath: string; rows: number }>> {
  const rows = await state.all<{ bronze_path: string; rows_ok: number }>(
    `SELECT bronze_path, rows_ok FROM ingested_files WHERE ${IN_HOUR}`,
    hourParams(entity, hour),
  );
  return rows.map((r) => ({ bronzePath: r.bronze_path, rows: Number(r.rows_ok) }));
}

/**
 * Points an hour's deliveries at their merged file, in one transaction, if the hour still
 * holds the `deliveries` rows the merge was made of; throws, changing nothing, if not.
 */
export async function repointHour(
  state: StateDb,
  entity: string,
  hour: DeliveryHour,
  deliveries: number,
  mergedPath: string,
): Promise<void> {
  const params = hourParams(entity, hour);
  await state.transaction(async () => {
    const now = Number(await state.scalar(`SELECT count(*) FROM ingested_files WHERE ${IN_HOUR}`, params));
    if (now !== deliveries) throw new Error(`the hour's ledger rows changed while merging (${deliveries} then ${now})`);
    await state.run(`UPDATE ingested_files SET bronze_path = $merged WHERE ${IN_HOUR}`, {
      ...params,
      merged: mergedPath,
    });
  });
}

/** Every bronze file (relative to the home) the deliveries of `entity` point at. */
export async function streamBronzePaths(state: StateDb, entity: string): Promise<string[]> {
  const rows = await state.all<{ p: string }>(
    `SELECT DISTINCT bronze_path AS p FROM ingested_files WHERE ${OF_STREAM}`,
    {
      entity,
    },
  );
  return rows.map((r) => r.p);
}
