/**
 * Work on worker processes: the same landing data (generated once, cached in .bench/;
 * partitioned by entity and month unless `--whole`, so the work splits into many tasks of
 * similar size) run in one process, then with 1, 2 and 4 `shoplake worker` processes
 * taking the ingest and model tasks from the PostgreSQL queues (the models stay in the
 * run's process with `--local-models`). Prints the ingest and transform stages and the
 * whole run for each, and the speed-ups over one worker. Asserts nothing: on two cores it
 * flattens at two.
 *
 *   npm run bench:workers -- --scale 3 [--workers 0,1,2,4] [--concurrency 1] [--whole] [--local-models]
 *     [--url postgres://…]
 *
 * `0` in --workers is the run ingesting in its own process. --concurrency is how many
 * tasks each worker runs at once (default 1, so that the worker count is the parallelism;
 * `shoplake worker` itself defaults to ingest.concurrency, 2).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { formatTable } from '../src/cli/output.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { queueLocation, runPipeline } from '../src/home/index.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '3' },
    whole: { type: 'boolean', default: false },
    'local-models': { type: 'boolean', default: false },
    workers: { type: 'string', default: '0,1,2,4' },
    concurrency: { type: 'string', default: '1' },
    seed: { type: 'string', default: '7' },
    dir: { type: 'string', default: '.bench' },
    url: {
      type: 'string',
      default: process.env['SHOPLAKE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
});
const scale = Number(values.scale);
const landing = join(values.dir, `landing-s${scale}-seed${values.seed}${values.whole ? '' : '-monthly'}`);
if (
  !(await access(join(landing, '_truth')).then(
    () => true,
    () => false,
  ))
) {
  console.log(`generating scale ${scale} into ${landing} (cached for later runs) ...`);
  await rm(landing, { recursive: true, force: true });
  await generateLanding({ out: landing, scale, seed: Number(values.seed), drops: 2, monthly: !values.whole });
}
const stateUrl = `${values.url}${values.url.includes('?') ? '&' : '?'}schema=shoplake_bench`;
const BIN = fileURLToPath(new URL('../bin/shoplake.cjs', import.meta.url));
const rows: Array<Record<string, unknown>> = [];
let oneWorker = { ingest: 0, transform: 0, run: 0 };

for (const n of values.workers.split(',').map(Number)) {
  await resetSchemas();
  // A home of its own per run: DuckDB instances are cached per path within this process.
  const home = join(values.dir, `home-workers-s${scale}-w${n}`);
  await rm(home, { recursive: true, force: true });
  const procs = await Promise.all(Array.from({ length: n }, () => startWorker()));
  try {
    const t0 = performance.now();
    const run = await runPipeline({
      home,
      landing,
      stateUrl,
      ...(n > 0
        ? {
            workers: {
              ...queueLocation(stateUrl),
              taskTimeoutSeconds: 900,
              attempts: 3,
              idleMs: 60_000,
              models: !values['local-models'],
            },
          }
        : {}),
    });
    const ms = performance.now() - t0;
    if (run.status !== 'success')
      throw new Error(
        `run with ${n} workers: ${run.status}: ` +
          `${JSON.stringify(run.error ?? run.models.filter((m) => m.status !== 'success'))} ` +
          `${JSON.stringify(run.tests.failures)}`,
      );
    const ingest = run.stages.find((s) => s.stage === 'ingest')!;
    const transform = run.stages.find((s) => s.stage === 'transform')!;
    if (n === 1) oneWorker = { ingest: ingest.ms, transform: transform.ms, run: ms };
    const speedUp = (one: number, now: number) => (n > 0 && one ? +(one / now).toFixed(2) : '');
    rows.push({
      workers: n === 0 ? 'none (in process)' : n,
      files: run.files.ingested + run.files.quarantined,
      'ingest s': +(ingest.ms / 1000).toFixed(1),
      'ingest rows/s': Math.round(ingest.rows / (ingest.ms / 1000)),
      'transform s': +(transform.ms / 1000).toFixed(1),
      'run s': +(ms / 1000).toFixed(1),
      'ingest ×': speedUp(oneWorker.ingest, ingest.ms),
      'transform ×': speedUp(oneWorker.transform, transform.ms),
      'run ×': speedUp(oneWorker.run, ms),
    });
    console.log(formatTable(rows.slice(-1)));
  } finally {
    // Workers stopping still talk to the queue: the next run's schema reset waits for them.
    await Promise.all(
      procs.map(
        (p) =>
          new Promise((resolve) => {
            p.once('exit', resolve);
            p.kill('SIGTERM');
          }),
      ),
    );
  }
}
console.log(`\nscale ${scale}, ${landing}\n${formatTable(rows)}`);
await resetSchemas();

function startWorker(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [BIN, 'worker', '--state', stateUrl, '--concurrency', values.concurrency], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('waiting for tasks')) resolve(proc);
    });
    proc.once('exit', (code) => reject(new Error(`a worker exited with ${code}: ${out}`)));
  });
}

async function resetSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: values.url });
  await client.connect();
  await client.query(
    'DROP SCHEMA IF EXISTS shoplake_bench CASCADE; DROP SCHEMA IF EXISTS shoplake_bench_queue CASCADE',
  );
  await client.end();
}
