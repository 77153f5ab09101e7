import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckSession } from '../duck/index.ts';
import { pathExists, type LakeLayout } from '../lake/index.ts';
import { runDataTests, type TestResult } from '../quality/index.ts';
import { lakeZoneOf, MACROS_SQL_URL, viewOverParquet, type Model } from '../transform/index.ts';

/** One model's tests against the last build: their results, or why they could not run. */
export type ModelTestOutcome =
  { model: string; status: 'tested'; results: TestResult[] } | { model: string; status: 'skipped'; reason: string };

/**
 * Runs the data tests of `selected` again, against the tables the last build left in the
 * lake's silver and gold zones (each zone table a view over its Parquet file, so the tests
 * read what readers read). Steps between layers are not kept after a build: their tests are
 * reported skipped, with the reason. One outcome per model with tests, whatever the others do.
 */
export async function testLastBuild(
  layout: LakeLayout,
  models: readonly Model[],
  selected: readonly Model[],
): Promise<ModelTestOutcome[]> {
  const db = await DuckSession.open(':memory:');
  try {
    await db.run(await readFile(MACROS_SQL_URL, 'utf8'));
    const kept = new Set<string>();
    for (const m of models) {
      const zone = lakeZoneOf(m);
      const file = zone && join(layout.zone(zone), `${m.name}.parquet`);
      if (!file || !(await pathExists(file))) continue;
      await viewOverParquet(db, m.name, file);
      kept.add(m.name);
    }
    const outcomes: ModelTestOutcome[] = [];
    for (const m of selected.filter((s) => s.tests?.length)) {
      if (!kept.has(m.name)) {
        const reason = lakeZoneOf(m)
          ? 'not built yet: run the pipeline first'
          : 'a step between layers, not kept after a build: its tests run with each build';
        outcomes.push({ model: m.name, status: 'skipped', reason });
        continue;
      }
      outcomes.push({ model: m.name, status: 'tested', results: await runDataTests(db, m) });
    }
    return outcomes;
  } finally {
    await db.close();
  }
}
