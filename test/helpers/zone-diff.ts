import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckSession, literal } from '../../src/duck/index.ts';
import { LakeLayout } from '../../src/lake/index.ts';

// Which run wrote a row and when differ between two homes by nature.
const RUN_COLUMNS = "COLUMNS(c -> c NOT IN ('_batch_id', '_ingested_at'))";

/**
 * Differences between the silver and gold zones of two homes, file by file: files in one
 * only, and rows in one but not the other (EXCEPT ALL both ways, run lineage left out).
 */
export async function zoneDiff(homeA: string, homeB: string): Promise<string[]> {
  const db = await DuckSession.open(':memory:');
  const out: string[] = [];
  try {
    for (const zone of ['silver', 'gold'] as const) {
      const dirA = new LakeLayout(homeA).zone(zone);
      const dirB = new LakeLayout(homeB).zone(zone);
      const fa = (await readdir(dirA)).sort();
      const fb = (await readdir(dirB)).sort();
      if (fa.join() !== fb.join()) out.push(`${zone}: files [${fa.join(', ')}] vs [${fb.join(', ')}]`);
      for (const f of fa.filter((x) => fb.includes(x))) {
        const q = (x: string, y: string) =>
          `SELECT count(*)
           FROM (SELECT ${RUN_COLUMNS} FROM read_parquet(${literal(join(x, f))})
           EXCEPT ALL SELECT ${RUN_COLUMNS} FROM read_parquet(${literal(join(y, f))}))`;
        const onlyA = Number(await db.scalar(q(dirA, dirB)));
        const onlyB = Number(await db.scalar(q(dirB, dirA)));
        if (onlyA || onlyB) out.push(`${zone}/${f}: ${onlyA} rows only in the first, ${onlyB} only in the second`);
      }
    }
    return out;
  } finally {
    await db.close();
  }
}
