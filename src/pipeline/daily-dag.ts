import { modelInputs, SOURCES, type Model } from '../transform/index.ts';
import { defineDag, type Dag, type TaskSpec } from '../dag/index.ts';
import type { PipelineRun } from './pipeline-run.ts';
import { retryPolicy } from '../dag/index.ts';

export interface DailyDagOptions {
  schedule?: string;
  catchup?: boolean;
  slaMs?: number;
  fetchApis?: boolean;
  maxActiveTasks?: number;
  resources?: Dag<PipelineRun>['resources'];
}

/**
 * The built-in `daily` DAG: check landing → ingest → merge closed stream hours → catalog → one task per model (from
 * the model declarations, with their dependencies) → data tests → publish → unload. Model
 * tasks run side by side where the graph allows.
 */
export function dailyDag(models: readonly Model[], opts: DailyDagOptions = {}): Dag<PipelineRun> {
  const modelTasks: TaskSpec<PipelineRun>[] = models.map((m) => ({
    name: m.name,
    group: m.layer,
    dependsOn: [...new Set(modelInputs(m).map((d) => (SOURCES.has(d) ? 'catalog' : d)))],
    async run(ctx) {
      const r = await ctx.resources.buildModel(m, ctx.signal);
      ctx.log(`${m.name}: ${r.rows} rows, ${r.tests} data tests run`);
      return { output: r };
    },
  }));
  return defineDag<PipelineRun>({
    name: 'daily',
    description:
      'Landing files to bronze, silver, gold, data tests, the lake zones, the warehouse and the processed unload.',
    ...(opts.schedule ? { schedule: opts.schedule } : {}),
    ...(opts.catchup !== undefined ? { catchup: opts.catchup } : {}),
    ...(opts.slaMs ? { slaMs: opts.slaMs } : {}),
    // One model at a time in this process: each DuckDB query already uses every core, and two
    // 3-million-row builds side by side only compete for CPU and memory (the transform took
    // longer with two at once than with one). Models built on workers go side by side, each
    // on a machine of its own.
    maxActiveTasks: opts.maxActiveTasks ?? 1,
    // Machine trouble (memory, disk, a lock) may pass; bad data and failed tests are terminal.
    retry: retryPolicy({ maxAttempts: 2, initialDelayMs: 5_000 }),
    ...(opts.resources ? { resources: opts.resources } : {}),
    tasks: [
      ...(opts.fetchApis
        ? [
            {
              name: 'fetch_api',
              group: 'ingest',
              dependsOn: [],
              async run(ctx: Parameters<TaskSpec<PipelineRun>['run']>[0]) {
                const results = await ctx.resources.fetchApis();
                for (const r of results)
                  ctx.log(
                    `${r.source}: ${r.records} records in ${r.pages} pages ` +
                      `(${r.retries} retries), cursor ${r.cursor ?? 'none'}`,
                  );
                return {
                  output: {
                    records: results.reduce((n, r) => n + r.records, 0),
                    pages: results.reduce((n, r) => n + r.pages, 0),
                  },
                };
              },
            } satisfies TaskSpec<PipelineRun>,
          ]
        : []),
      {
        name: 'check_landing',
        group: 'ingest',
        dependsOn: opts.fetchApis ? ['fetch_api'] : [],
        async run(ctx) {
          const c = await ctx.resources.checkLanding();
          ctx.log(
            `${c.discovered} landing files, ${c.pending} new or ` +
              `changed${c.upToDate ? '; the warehouse is up to date' : ''}`,
          );
          return { skipDownstream: c.upToDate, output: c };
        },
      },
      {
        name: 'ingest',
        group: 'ingest',
        dependsOn: ['check_landing'],
        async run(ctx) {
          const more = await ctx.resources.ingest(ctx.signal);
          const f = ctx.resources.summary.files;
          ctx.log(
            `${f.ingested} ingested, ${f.quarantined} quarantined, ${f.duplicates} duplicates, ${f.failed} failed`,
          );
          return { skipDownstream: !more, output: { ...f } };
        },
      },
      {
        name: 'compact_stream',
        group: 'ingest',
        dependsOn: ['ingest'],
        async run(ctx) {
          const hours = await ctx.resources.compactStream();
          const failed = hours.filter((h) => h.status === 'failed');
          for (const h of failed)
            ctx.log(`${h.stream} ${h.hour}: not merged (${h.error}); its ${h.deliveries} deliveries stay as they are`);
          const merged = hours.filter((h) => h.status === 'compacted');
          const files = merged.reduce((n, h) => n + h.merged, 0);
          ctx.log(
            `${merged.length} stream hours merged (${files} bronze files, ` +
              `${merged.reduce((n, h) => n + h.rows, 0)} rows)${failed.length ? `, ${failed.length} failed` : ''}`,
          );
          return { output: { hours: merged.length, files, failed: failed.length } };
        },
      },
      {
        name: 'catalog',
        group: 'catalog',
        dependsOn: ['compact_stream'],
        async run(ctx) {
          const { entities, engine } = await ctx.resources.openBuild();
          ctx.log(`bronze sources for ${entities.join(', ')}; the build runs in ${engine}`);
          return { output: { entities, engine } };
        },
      },
      ...modelTasks,
      {
        name: 'data_tests',
        group: 'quality',
        dependsOn: models.map((m) => m.name),
        async run(ctx) {
          await ctx.resources.finishTransform();
          const t = ctx.resources.summary.tests;
          ctx.log(`${t.passed} passed, ${t.warnings.length} warnings, ${t.failures.length} failures`);
          return { output: { passed: t.passed, warnings: t.warnings.length, failures: t.failures.length } };
        },
      },
      {
        name: 'publish',
        group: 'publish',
        dependsOn: ['data_tests'],
        async run(ctx) {
          await ctx.resources.publish();
          const tables = ctx.resources.summary.published.map((p) => p.table);
          ctx.log(`${tables.length} tables published`);
          return { output: { tables: tables.length }, datasets: tables.map((t) => `gold.${t}`) };
        },
      },
      {
        // Runs after a publish and also when there was nothing new, so a backfill or a
        // re-run of any day writes that day's partition from what is published.
        name: 'unload',
        group: 'publish',
        dependsOn: ['publish'],
        trigger: 'none_failed',
        async run(ctx) {
          const tables = await ctx.resources.unload(ctx.logicalDate);
          ctx.log(
            tables.length
              ? `${tables.length} gold tables unloaded for ${ctx.logicalDate} ` +
                  `(${tables.reduce((n, t) => n + t.rows, 0)} rows)`
              : 'nothing published yet: nothing to unload',
          );
          return { output: { tables: tables.length, rows: tables.reduce((n, t) => n + t.rows, 0) } };
        },
      },
    ],
  });
}
