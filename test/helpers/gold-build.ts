import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DuckSession, ident, literal } from '../../src/duck/index.ts';
import { generateLanding } from '../../src/generate/generate-landing.ts';
import { LakeLayout } from '../../src/lake/index.ts';
import { runPipeline } from '../../src/home/index.ts';
import { loadModels } from '../../src/transform/index.ts';

/**
 * The gold of a small pipeline run (scale 0.005, one drop, under `root`) copied into an
 * in-memory DuckDB, as a publish's build database holds it, with the published tables and
 * their shapes: what a warehouse adapter is given to publish.
 */
export async function goldBuild(
  root: string,
  seed: number,
): Promise<{
  build: DuckSession;
  tables: string[];
  shapes: Record<string, { key: readonly string[]; partitionBy?: string }>;
}> {
  const landing = join(root, 'landing');
  const home = join(root, 'home');
  await generateLanding({ out: landing, scale: 0.005, seed, drops: 1 });
  assert.equal((await runPipeline({ home, landing })).status, 'success');
  const build = await DuckSession.open(':memory:');
  await build.run(`ATTACH ${literal(new LakeLayout(home).warehouseDb)} AS wh (READ_ONLY)`);
  const tables = (
    await build.all<{ t: string }>(
      `SELECT table_name AS t FROM duckdb_tables()
       WHERE database_name = 'wh' AND table_name <> '_publish_info' ORDER BY 1`,
    )
  ).map((r) => r.t);
  for (const tb of tables) await build.run(`CREATE TABLE ${ident(tb)} AS SELECT * FROM wh.main.${ident(tb)}`);
  await build.run('DETACH wh');
  const shapes = Object.fromEntries(
    (await loadModels()).map((m) => [
      m.name,
      { key: m.key, ...(m.partitionBy ? { partitionBy: m.partitionBy.column } : {}) },
    ]),
  );
  return { build, tables, shapes };
}
