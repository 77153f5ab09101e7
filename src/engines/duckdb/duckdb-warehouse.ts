import { rename, rm } from 'node:fs/promises';
import { ident, literal } from '../../duck/index.ts';
import type { PublishRequest, PublishResult, WarehouseAdapter } from '../../warehouse/index.ts';

/**
 * The embedded warehouse: a DuckDB file. A publish writes a complete new file beside the
 * old one and renames it into place, so a reader opens either the last good warehouse or
 * the new one, and a failed or killed publish leaves the last good one untouched.
 */
export class DuckdbWarehouse implements WarehouseAdapter {
  readonly kind = 'duckdb';

  constructor(readonly path: string) {}

  async publish(req: PublishRequest): Promise<PublishResult> {
    const t0 = Date.now();
    const next = `${this.path}.next`;
    await rm(next, { force: true });
    await rm(`${next}.wal`, { force: true });
    const db = req.build;
    await db.run(`ATTACH ${literal(next)} AS wh_next`);
    const tables: PublishResult['tables'] = [];
    try {
      for (const t of req.tables) {
        const started = Date.now();
        await db.run(`CREATE TABLE wh_next.main.${ident(t)} AS SELECT * FROM main.${ident(t)}`);
        tables.push({ table: t, rows: Number(await db.scalar(`SELECT count(*) FROM wh_next.main.${ident(t)}`)) });
        req.onTable?.(t, tables.at(-1)!.rows, Date.now() - started);
      }
      await db.run(
        `CREATE TABLE wh_next.main._publish_info AS
         SELECT ${literal(req.runId)} AS run_id, ${literal(req.publishedAt)}::TIMESTAMP AS published_at,
         ${literal(JSON.stringify(tables))}::JSON AS tables,
                ${req.builtThroughSeq ?? 'NULL'}::BIGINT AS built_through_seq`,
      );
    } finally {
      // DETACH checkpoints and closes the file: nothing is left in a WAL.
      await db.run('DETACH wh_next');
    }
    await rename(next, this.path);
    return { tables, ms: Date.now() - t0 };
  }
}
