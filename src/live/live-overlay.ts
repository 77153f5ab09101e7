import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ident, literal, literalList, type DuckSession } from '../duck/index.ts';
import { writeAtomically } from '../lake/index.ts';

/**
 * The live overlay (a speed layer over the published warehouse): what the stream
 * delivered after the last build, as small Parquet files under `<home>/live/` that a
 * manifest lists. It holds new fact_events rows, the mart_user_activity_daily rows of the
 * days they touch, a recomputed mart_funnel and, when the stream reaches past the
 * calendar, dim_date. It applies only to the warehouse it was built on (`baseRunId`); the
 * next build folds the same events into the warehouse itself.
 */
export const LiveManifestSchema = z.object({
  /** The published run the overlay extends; any other warehouse ignores it. */
  baseRunId: z.string(),
  /** The ledger sequence that run was built through, and the last one the overlay holds. */
  baseSeq: z.number().int(),
  throughSeq: z.number().int(),
  refreshedAt: z.string(),
  /** Events in the overlay, and the Parquet files (names under the live folder) per table. */
  events: z.number().int(),
  facts: z.array(z.string()),
  activity: z.string().nullable(),
  funnel: z.string().nullable(),
  dimDate: z.string().nullable(),
});
export type LiveManifest = z.infer<typeof LiveManifestSchema>;

const MANIFEST = 'manifest.json';

export async function readLiveManifest(
  liveDir: string,
): Promise<{ manifest: LiveManifest; mtimeMs: number } | undefined> {
  const path = join(liveDir, MANIFEST);
  try {
    const [text, s] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { manifest: LiveManifestSchema.parse(JSON.parse(text)), mtimeMs: s.mtimeMs };
  } catch {
    // No overlay yet, or one from an older shoplake: the warehouse alone is served.
    return undefined;
  }
}

/** Publishes a new overlay: the files it lists are written first, the manifest replaced last. */
export async function writeLiveManifest(liveDir: string, manifest: LiveManifest): Promise<void> {
  await writeAtomically(join(liveDir, MANIFEST), (tmp) => writeFile(tmp, JSON.stringify(manifest, null, 1)));
}

/** The files a manifest lists, as absolute paths. */
export function liveFiles(liveDir: string, m: LiveManifest): string[] {
  return [...m.facts, m.activity, m.funnel, m.dimDate]
    .filter((f): f is string => f !== null)
    .map((f) => join(liveDir, f));
}

/**
 * Whether an overlay applies to a published warehouse: the one it was built on, or a newer
 * one it reaches past (built on the warehouse before, holding every batch the new one was
 * built through). The server's overlay stands in for a publish so, until the new
 * warehouse's own is caught up (LiveEvents): its events since the earlier build are a
 * superset of what the new build folded in, and readers take each event once, by event_id.
 */
export function appliesTo(m: LiveManifest, published: { runId: string; seq: number | null }): boolean {
  return (
    m.baseRunId === published.runId ||
    (published.seq !== null && m.baseSeq <= published.seq && m.throughSeq >= published.seq)
  );
}

/** The temp views an overlay lays over the warehouse's tables of the same names, and its summary. */
const OVERLAY_VIEWS = ['fact_events', 'mart_user_activity_daily', 'mart_funnel', 'dim_date', '_live_info'];

/** Attaches the warehouse read-only as `wh` (made the default) and lays its live overlay over it. */
export async function attachWarehouse(
  db: DuckSession,
  warehouseDb: string,
  liveDir: string,
): Promise<LiveManifest | undefined> {
  await db.run(`ATTACH ${literal(warehouseDb)} AS wh (READ_ONLY)`);
  await db.run('USE wh');
  return applyLiveOverlay(db, liveDir);
}

/**
 * Lays the live overlay over the attached warehouse when it was made for exactly that
 * warehouse: the tables it extends are shadowed by temp views of the same names. Whatever
 * overlay was laid before is replaced, or removed, in one transaction, so a query sees the
 * old overlay or the new one. Returns the overlay applied, if any.
 */
export async function applyLiveOverlay(db: DuckSession, liveDir: string): Promise<LiveManifest | undefined> {
  const live = await readLiveManifest(liveDir);
  const base = live
    ? await db
        .one<{ run_id: string; seq: number | null }>(
          'SELECT run_id, built_through_seq AS seq FROM wh.main._publish_info',
        )
        .catch(() => undefined)
    : undefined;
  const m =
    live && base && appliesTo(live.manifest, { runId: base.run_id, seq: base.seq === null ? null : Number(base.seq) })
      ? live.manifest
      : undefined;
  await db.transaction(async () => {
    for (const v of OVERLAY_VIEWS) await db.run(`DROP VIEW IF EXISTS temp.main.${ident(v)}`);
    if (!m) return;
    const at = (f: string) => join(liveDir, f);
    if (m.facts.length) {
      // A streamed event replaces the published row of the same event_id.
      const facts = `read_parquet(${literalList(m.facts.map(at))})`;
      await db.run(`CREATE TEMP VIEW fact_events AS
        SELECT * FROM wh.main.fact_events w WHERE NOT EXISTS (SELECT 1 FROM ${facts} l WHERE l.event_id = w.event_id)
        UNION ALL SELECT * FROM ${facts}`);
    }
    if (m.activity) {
      await db.run(`CREATE TEMP VIEW mart_user_activity_daily AS
        SELECT * FROM (SELECT * FROM wh.main.mart_user_activity_daily w
                       WHERE w.date NOT IN (SELECT date FROM read_parquet(${literal(at(m.activity))}))
                       UNION ALL SELECT * FROM read_parquet(${literal(at(m.activity))}))
        ORDER BY date`);
    }
    for (const [table, file] of [
      ['mart_funnel', m.funnel],
      ['dim_date', m.dimDate],
    ] as const) {
      if (file) await db.run(`CREATE TEMP VIEW ${ident(table)} AS SELECT * FROM read_parquet(${literal(at(file))})`);
    }
    await db.run(`CREATE TEMP VIEW _live_info AS
      SELECT ${literal(m.refreshedAt)}::TIMESTAMP AS refreshed_at,
      ${m.events}::BIGINT AS events, ${m.throughSeq}::BIGINT AS through_seq`);
  });
  return m;
}
