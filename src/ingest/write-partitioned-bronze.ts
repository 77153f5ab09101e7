import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ident, literal, type SqlSession } from '../duck/index.ts';
import { LAKE_PARQUET, writeAtomically, type StreamBronzeFiles } from '../lake/index.ts';

/**
 * Writes bronze split by day into a scratch folder (DuckDB's PARTITION_BY), then moves each
 * day's file into place. Until the ledger row commits no reader looks at them, and a
 * retry writes the same names, so a crash in between leaves nothing visible or doubled.
 */
export async function writePartitionedBronze(
  db: SqlSession,
  by: { column: string; name: string },
  files: StreamBronzeFiles,
  select: string,
): Promise<{ glob: string; rows: number }> {
  const scratch = join(files.dir, `.${basename(files.glob)}.${process.pid}.tmp`);
  await rm(scratch, { recursive: true, force: true });
  await mkdir(files.dir, { recursive: true });
  try {
    const rows = Number(
      await db.scalar(
        `COPY (SELECT *, coalesce(try_cast(try_cast(${ident(by.column)} AS TIMESTAMPTZ) AS DATE)::VARCHAR, 'unknown')
                        AS ${ident(by.name)} FROM (${select}))
       TO ${literal(scratch)} (${LAKE_PARQUET}, PARTITION_BY (${ident(by.name)}))`,
      ),
    );
    let moved = 0;
    for (const part of await readdir(scratch).catch(() => [] as string[])) {
      const day = part.slice(by.name.length + 1);
      const [written] = (await readdir(join(scratch, part))).filter((f) => f.endsWith('.parquet'));
      if (!written) continue;
      await mkdir(dirname(files.file(day)), { recursive: true });
      await rename(join(scratch, part, written), files.file(day));
      moved++;
    }
    // No row, no partition: an empty file keeps the ledger's glob matching something.
    if (moved === 0)
      await writeAtomically(files.file('none'), (tmp) =>
        db.run(`COPY (${select} LIMIT 0) TO ${literal(tmp)} (FORMAT parquet)`),
      );
    return { glob: files.glob, rows };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
