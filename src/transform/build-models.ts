import { ident, type DuckSession } from '../duck/index.ts';
import { errorMessage } from '../errors/index.ts';
import type { ProgressSink } from '../orchestrate/progress-event.ts';
import { runDataTests, type TestResult } from '../quality/index.ts';
import type { Model } from './model-declaration.ts';

export interface ModelResult {
  model: string;
  status: 'success' | 'failed' | 'skipped';
  rows: number;
  ms: number;
  tests: TestResult[];
  error?: string;
}

/**
 * Builds every model in order as a table, then runs its data tests. A model that fails,
 * or whose blocking (error) test fails, stops the models downstream of it: those are
 * reported as skipped, with the failure named.
 */
export async function buildModels(db: DuckSession, models: readonly Model[], progress?: ProgressSink): Promise<ModelResult[]> {
  const results: ModelResult[] = [];
  const failed = new Set<string>();
  const started = Date.now();
  let rows = 0;
  // Readers still to build, per intermediate model: at zero its table is dropped, which
  // keeps the build's memory to what the remaining models need.
  const pendingReaders = new Map<string, number>();
  for (const m of models) for (const d of m.dependsOn) pendingReaders.set(d, (pendingReaders.get(d) ?? 0) + 1);
  const intermediate = new Set(models.filter((m) => m.intermediate).map((m) => m.name));
  const release = async (model: Model) => {
    for (const d of model.dependsOn) {
      const left = (pendingReaders.get(d) ?? 1) - 1;
      pendingReaders.set(d, left);
      if (left === 0 && intermediate.has(d)) await db.run(`DROP TABLE IF EXISTS ${ident(d)}`);
    }
  };
  for (const [i, model] of models.entries()) {
    const blockedBy = model.dependsOn.find((d) => failed.has(d));
    if (blockedBy) {
      failed.add(model.name);
      results.push({ model: model.name, status: 'skipped', rows: 0, ms: 0, tests: [], error: `upstream model "${blockedBy}" failed` });
      await release(model);
      continue;
    }
    const t0 = Date.now();
    try {
      await db.run(`CREATE OR REPLACE TABLE ${ident(model.name)} AS ${model.sql}`);
      const n = Number(await db.scalar(`SELECT count(*) FROM ${ident(model.name)}`));
      const tests = await runDataTests(db, model);
      const blocking = tests.filter((t) => t.status === 'fail' && t.severity === 'error');
      rows += n;
      if (blocking.length) {
        failed.add(model.name);
        results.push({
          model: model.name, status: 'failed', rows: n, ms: Date.now() - t0, tests,
          error: `data test${blocking.length > 1 ? 's' : ''} failed: ${blocking.map((t) => `${t.test} (${t.failures} rows)`).join(', ')}`,
        });
      } else {
        results.push({ model: model.name, status: 'success', rows: n, ms: Date.now() - t0, tests });
      }
    } catch (err) {
      failed.add(model.name);
      results.push({ model: model.name, status: 'failed', rows: 0, ms: Date.now() - t0, tests: [], error: `${errorMessage(err).split('\n')[0]} (in ${model.sqlPath})` });
    }
    await release(model);
    progress?.({ stage: 'transform', done: i + 1, total: models.length, unit: 'models', rows, elapsedMs: Date.now() - started, item: model.name });
  }
  return results;
}
