/**
 * Times the pipeline stage by stage on generated data, against a floor: DuckDB alone
 * scanning the same landing files and writing them as Parquet, with no cleansing,
 * catalog, quarantine or models. Prints figures; asserts nothing.
 *
 *   npm run bench -- --scale 1            one scale (landing data generated once, cached in .bench/)
 *   npm run bench -- --scales 0.1,1,3     several, to see how time grows with volume
 */
import { access, mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckSession, literal } from '../src/duck/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { discoverLanding, sniffFormat } from '../src/ingest/index.ts';
import { SNIFF_BYTES } from '../src/ingest/sniff-format.ts';
import { runPipeline } from '../src/home/index.ts';
import { formatTable } from '../src/cli/output.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string' },
    scales: { type: 'string' },
    seed: { type: 'string', default: '7' },
    dir: { type: 'string', default: '.bench' },
  },
});
const scales = (values.scales ?? values.scale ?? '1').split(',').map(Number);
const seed = Number(values.seed);
const summary: Array<Record<string, unknown>> = [];

for (const scale of scales) {
  const landing = join(values.dir, `landing-s${scale}-seed${seed}`);
  if (
    !(await access(join(landing, '_truth')).then(
      () => true,
      () => false,
    ))
  ) {
    console.log(`generating scale ${scale} into ${landing} (cached for later runs) ...`);
    await rm(landing, { recursive: true, force: true });
    const g = await generateLanding({ out: landing, scale, seed, drops: 2 });
    console.log(`  ${g.files.length} files in ${(g.ms / 1000).toFixed(1)} s`);
  }
  const home = join(values.dir, `home-s${scale}`);
  await rm(home, { recursive: true, force: true });
  const t0 = performance.now();
  const run = await runPipeline({ home, landing });
  const pipelineMs = performance.now() - t0;
  if (run.status !== 'success') throw new Error(`pipeline failed: ${JSON.stringify(run.error)}`);
  const floorMs = await bareScanAndWrite(landing, join(values.dir, 'floor'));

  console.log(
    `\nscale ${scale}: ${run.rows.bronze.toLocaleString('en-US')} ` +
      `landing rows, pipeline ${(pipelineMs / 1000).toFixed(1)} s`,
  );
  console.log(
    formatTable(
      run.stages.map((s) => ({
        stage: s.stage,
        seconds: +(s.ms / 1000).toFixed(2),
        rows: s.rows,
        'rows/s': Math.round(s.rows / Math.max(s.ms / 1000, 1e-3)),
        'peak RSS MiB': s.peakRssMb,
      })),
    ),
  );
  console.log(
    'floor (bare DuckDB scan + Parquet write of the same files): ' +
      `${(floorMs / 1000).toFixed(1)} s; pipeline/floor = ${(pipelineMs / floorMs).toFixed(2)}`,
  );
  summary.push({
    scale,
    landing_rows: run.rows.bronze,
    pipeline_s: +(pipelineMs / 1000).toFixed(1),
    floor_s: +(floorMs / 1000).toFixed(1),
    ratio: +(pipelineMs / floorMs).toFixed(2),
    's per M rows': +(pipelineMs / 1000 / (run.rows.bronze / 1e6)).toFixed(2),
    'peak RSS MiB': Math.max(...run.stages.map((s) => s.peakRssMb)),
  });
}
if (summary.length > 1) console.log('\n' + formatTable(summary));

/** DuckDB alone: every landing file read with its reader's defaults and written as Parquet. */
async function bareScanAndWrite(landing: string, out: string): Promise<number> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const db = await DuckSession.open(':memory:', { memoryLimit: '1200MB' });
  const t0 = performance.now();
  let i = 0;
  for (const f of await discoverLanding(landing)) {
    // Only the head is read here: the floor is DuckDB's own scanning, nothing of ours.
    const fh = await open(f.abs, 'r');
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(head, 0, SNIFF_BYTES, 0);
    await fh.close();
    const sniffed = sniffFormat(head.subarray(0, bytesRead), f.size);
    if (!sniffed.ok) continue;
    const comp = literal(sniffed.compression === 'gzip' ? 'gzip' : 'none');
    const scan =
      sniffed.format === 'csv'
        ? `read_csv(${literal(f.abs)}, all_varchar = true,
           delim = ${literal(sniffed.delimiter)}, compression = ${comp}, ignore_errors = true)`
        : `read_json(${literal(f.abs)}, format = ${sniffed.format === 'ndjson' ? "'newline_delimited'" : "'auto'"},
           compression = ${comp === "'none'" ? "'uncompressed'" : comp}, ignore_errors = true)`;
    try {
      await db.run(
        `COPY (SELECT * FROM ${scan}) TO ${literal(join(out, `${i++}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`,
      );
    } catch {
      // The floor skips what DuckDB alone cannot read; the pipeline quarantines it.
    }
  }
  const ms = performance.now() - t0;
  await db.close();
  return ms;
}
