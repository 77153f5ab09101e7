import { join } from 'node:path';
import { ident, literal, type DuckSession } from '../duck/index.ts';
import { replaceDirectory } from './atomic-write.ts';
import { LAKE_PARQUET } from './parquet-format.ts';

/**
 * Writes tables of `db` as one Parquet file each into a lake zone folder, replacing the
 * whole zone at once, so a reader of the zone never mixes two runs.
 */
export async function exportZone(db: DuckSession, zoneDir: string, tables: readonly string[], onTable?: (table: string) => void): Promise<void> {
  await replaceDirectory(zoneDir, async (next) => {
    for (const t of tables) {
      await db.run(`COPY ${ident(t)} TO ${literal(join(next, `${t}.parquet`))} (${LAKE_PARQUET})`);
      onTable?.(t);
    }
  });
}
