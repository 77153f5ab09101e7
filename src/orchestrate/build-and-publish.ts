import { mkdir, readFile, rm } from 'node:fs/promises';
import { DuckSession, literal } from '../duck/index.ts';
import { TerminalError } from '../errors/index.ts';
import { exportZone, writeAtomically, type LakeLayout } from '../lake/index.ts';
import { computeQualityReport } from '../quality/index.ts';
import { setKv } from '../state/index.ts';
import { buildModels, createBronzeSources, loadModels, MACROS_SQL_URL } from '../transform/index.ts';
import { DuckdbWarehouse } from '../warehouse/index.ts';
import type { RunOptions } from './run-pipeline.ts';
import type { RunSummary } from './run-summary.ts';
import { timeStage } from './stage-timer.ts';

/**
 * Bronze → silver → gold in a fresh in-memory DuckDB (spilling to <home>/tmp), data tests
 * after each model, then the lake zones and the warehouse. Nothing is published unless
 * every model and blocking test passed.
 */
export async function buildAndPublish(summary: RunSummary, state: DuckSession, layout: LakeLayout, opts: RunOptions): Promise<void> {
  await rm(layout.tmp, { recursive: true, force: true });
  await mkdir(layout.tmp, { recursive: true });
  const db = await DuckSession.open(':memory:', { memoryLimit: opts.memoryLimit ?? '1200MB', tempDirectory: layout.tmp, ...(opts.threads ? { threads: opts.threads } : {}) });
  try {
    // Every order that matters in a model is spelled out (ORDER BY, window orders, keys by
    // row_number over an ordering), so DuckDB may write tables in any order: faster, less memory.
    await db.run('SET preserve_insertion_order = false');
    await db.run(await readFile(MACROS_SQL_URL, 'utf8'));
    const bronze = await state.all<{ entity: string; bronze_path: string }>("SELECT entity, bronze_path FROM ingested_files WHERE status = 'ingested' ORDER BY seq");
    const files: Record<string, string[]> = {};
    for (const r of bronze) (files[r.entity] ??= []).push(layout.resolve(r.bronze_path));
    await createBronzeSources(db, files);

    const models = await loadModels();
    const transform = await timeStage('transform', () => buildModels(db, models, opts.progress), (r) => r.reduce((n, m) => n + m.rows, 0));
    summary.stages.push(transform.stats);
    const results = transform.result;
    summary.models = results.map(({ model, status, rows, ms, error }) => ({ model, status, rows, ms, ...(error ? { error } : {}) }));
    for (const r of results) {
      for (const t of r.tests) {
        if (t.status === 'pass') summary.tests.passed++;
        else (t.severity === 'warn' ? summary.tests.warnings : summary.tests.failures).push({ model: t.model, test: t.test, failures: t.failures });
      }
      for (const t of r.tests) {
        await state.run('INSERT INTO test_results VALUES ($run, $model, $test, $severity, $status, $failures, NULL)', { run: summary.runId, model: t.model, test: t.test, severity: t.severity, status: t.status, failures: t.failures });
      }
    }
    const failed = results.find((r) => r.status === 'failed');
    if (failed) {
      throw new TerminalError('model_failed', `model "${failed.model}" failed: ${failed.error}`, {
        subject: failed.model,
        hint: 'the warehouse keeps its last good state; fix the data or the model and run again',
      });
    }
    summary.quality = await computeQualityReport(db, state);

    const silverTables = models.filter((m) => m.layer === 'silver' && m.name.startsWith('silver_') && m.name !== 'silver_rejects').map((m) => m.name);
    const goldTables = models.filter((m) => m.publish).map((m) => m.name);
    const publish = await timeStage('publish', async () => {
      const total = silverTables.length + 2 * goldTables.length;
      const t0 = Date.now();
      let done = 0;
      const tick = (item: string) => opts.progress?.({ stage: 'publish', done: ++done, total, unit: 'tables', elapsedMs: Date.now() - t0, item });
      await exportZone(db, layout.zone('silver'), silverTables, (t) => tick(`lake/silver/${t}`));
      await exportZone(db, layout.zone('gold'), goldTables, (t) => tick(`lake/gold/${t}`));
      await writeAtomically(layout.silverRejects, (tmp) => db.run(`COPY silver_rejects TO ${literal(tmp)} (FORMAT parquet)`));
      return new DuckdbWarehouse(layout.warehouseDb).publish({
        build: db, tables: goldTables, runId: summary.runId, publishedAt: new Date().toISOString(), onTable: (t) => tick(`warehouse/${t}`),
      });
    }, (r) => r.tables.reduce((n, t) => n + t.rows, 0));
    summary.stages.push(publish.stats);
    summary.published = publish.result.tables;
    await setKv(state, 'quality_report', JSON.stringify(summary.quality));
    summary.status = 'success';
  } finally {
    db.close();
    await rm(layout.tmp, { recursive: true, force: true });
  }
}
