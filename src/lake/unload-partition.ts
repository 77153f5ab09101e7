import { join } from 'node:path';
import { ident, literal, type SqlSession } from '../duck/index.ts';
import { replaceDirectory } from './atomic-write.ts';
import { LAKE_PARQUET } from './parquet-format.ts';

export interface UnloadTable {
  name: string;
  partitionBy?: { column: string; kind: 'date' | 'date_key' } | undefined;
}

export interface UnloadPartitionOptions {
  warehouseDb: string;
  dir: string;
  logicalDate: string;
  tables: readonly UnloadTable[];
}

/**
 * The processed zone's partition for one logical date, read from the published warehouse
 * (so it is what analysts see, whether or not this run rebuilt anything): partitioned
 * tables with that day's rows only, the others whole. The partition folder is replaced at
 * once, so reprocessing a day never leaves a mix of two runs.
 */
export async function unloadPartition(
  db: SqlSession,
  opts: UnloadPartitionOptions,
): Promise<Array<{ table: string; rows: number }>> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.logicalDate))
    throw new RangeError(`logical date "${opts.logicalDate}" is not YYYY-MM-DD`);
  const out: Array<{ table: string; rows: number }> = [];
  await db.run(`ATTACH ${literal(opts.warehouseDb)} AS wh (READ_ONLY)`);
  try {
    await replaceDirectory(opts.dir, async (next) => {
      for (const t of opts.tables) {
        const p = t.partitionBy;
        // COPY takes no bound parameters; the day was checked against YYYY-MM-DD above.
        const where = !p
          ? ''
          : p.kind === 'date'
            ? ` WHERE ${ident(p.column)} = DATE ${literal(opts.logicalDate)}`
            : ` WHERE ${ident(p.column)} = ${Number(opts.logicalDate.replaceAll('-', ''))}`;
        const file = join(next, `${t.name}.parquet`);
        await db.run(`COPY (SELECT * FROM wh.main.${ident(t.name)}${where}) TO ${literal(file)} (${LAKE_PARQUET})`);
        out.push({
          table: t.name,
          rows: Number(await db.scalar(`SELECT count(*) FROM read_parquet(${literal(file)})`)),
        });
      }
    });
    return out;
  } finally {
    await db.run('DETACH wh');
  }
}
