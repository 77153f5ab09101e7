import type pg from 'pg';
import { ident } from '../../duck/index.ts';
import { detachLiveOverlay, relayLiveOverlay } from './postgres-live-relay.ts';
import { PARTITIONS_TABLE, type PublishedState } from './postgres-published-state.ts';
import type { StagedTable } from './postgres-staging.ts';
import type { PublishRequest, PublishResult } from '../../warehouse/index.ts';

/**
 * The one transaction that makes the publish visible: whole tables swapped, partitions
 * deleted and re-inserted, dimensions and marts merged, fingerprints and publish info
 * replaced. Returns the tables whose rows changed in place (to ANALYZE after the commit).
 */
export async function applyPublish(
  client: pg.PoolClient,
  schema: string,
  req: PublishRequest,
  published: PublishedState,
  staged: StagedTable[],
  tables: PublishResult['tables'],
): Promise<string[]> {
  const staging = `${schema}__staging`;
  const touched: string[] = [];
  await client.query('BEGIN');
  try {
    // The live overlay is laid over the gold this replaces: laid over the new one below.
    const laidOver = await detachLiveOverlay(client, schema);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    for (const s of staged) {
      const live = `${ident(schema)}.${ident(s.table)}`;
      const stagedTable = `${ident(staging)}.${ident(s.table)}`;
      if (s.plan.kind === 'full') {
        if (published.tables.has(s.table)) await client.query(`DROP TABLE ${live} CASCADE`);
        await client.query(`ALTER TABLE ${stagedTable} SET SCHEMA ${ident(schema)}`);
      } else if (s.plan.kind === 'partitions') {
        const gone = [...s.plan.replace, ...s.plan.remove];
        if (gone.length === 0) continue;
        const col = ident(s.partitionBy!);
        const values = gone.filter((v): v is string => v !== null);
        await client.query(
          `DELETE FROM ${live} WHERE ${col} = ANY($1::${s.columns[s.partitionBy!]}[]) OR ($2 AND ${col} IS NULL)`,
          [values, values.length < gone.length],
        );
        if (s.plan.replace.length) await client.query(`INSERT INTO ${live} SELECT * FROM ${stagedTable}`);
        touched.push(s.table);
      } else {
        const cols = Object.keys(s.columns).map(ident);
        const keyMatch = s.key.map((k) => `s.${ident(k)} = g.${ident(k)}`).join(' AND ');
        const others = Object.keys(s.columns)
          .filter((c) => !s.key.includes(c))
          .map(ident);
        const deleted = await client.query(
          `DELETE FROM ${live} g WHERE NOT EXISTS (SELECT 1 FROM ${stagedTable} s WHERE ${keyMatch})`,
        );
        const upserted = await client.query(
          `INSERT INTO ${live} AS g (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM ${stagedTable}
           ON CONFLICT (${s.key.map(ident).join(', ')}) DO ${
             others.length
               ? `UPDATE SET ${others.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
                  WHERE (${others.map((c) => `g.${c}`).join(', ')})
                  IS DISTINCT FROM (${others.map((c) => `EXCLUDED.${c}`).join(', ')})`
               : 'NOTHING'
           }`,
        );
        const changed = (deleted.rowCount ?? 0) + (upserted.rowCount ?? 0);
        const load = tables.find((t) => t.table === s.table)?.load;
        if (load) load.changed = changed;
        if (changed) touched.push(s.table);
      }
    }
    await recordPublish(client, schema, req, staged, tables);
    await relayLiveOverlay(client, schema, laidOver, req.runId);
    await client.query('COMMIT');
    return touched;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Partition fingerprints (what the next publish compares with) and the publish info readers show. */
async function recordPublish(
  client: pg.PoolClient,
  schema: string,
  req: PublishRequest,
  staged: StagedTable[],
  tables: PublishResult['tables'],
): Promise<void> {
  const parts = `${ident(schema)}.${PARTITIONS_TABLE}`;
  const info = `${ident(schema)}._publish_info`;
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${parts} (table_name text NOT NULL,
     part text, rows bigint NOT NULL, fingerprint text NOT NULL)`,
  );
  await client.query(`DELETE FROM ${parts}`);
  const prints = staged.flatMap((s) => (s.prints ?? []).map((p) => ({ table: s.table, ...p })));
  if (prints.length) {
    await client.query(`INSERT INTO ${parts} SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])`, [
      prints.map((p) => p.table),
      prints.map((p) => p.part),
      prints.map((p) => p.rows),
      prints.map((p) => p.fingerprint),
    ]);
  }
  await client.query(`DROP TABLE IF EXISTS ${info}`);
  await client.query(
    `CREATE TABLE ${info} AS SELECT $1::text AS run_id, $2::timestamp AS published_at,
     $3::jsonb AS tables, $4::bigint AS built_through_seq`,
    [
      req.runId,
      req.publishedAt,
      JSON.stringify(tables.map((t) => ({ table: t.table, rows: t.rows }))),
      req.builtThroughSeq ?? null,
    ],
  );
}
