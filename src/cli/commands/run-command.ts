import type { Command } from 'commander';
import { orchestratorOptions, runPipeline } from '../../home/index.ts';
import { type DagRunRecord } from '../../dag/index.ts';
import type { RunSummary } from '../../pipeline/index.ts';
import { ServerClient } from '../server-client.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { EXIT, humanMs, humanNumber, printJson, printTable } from '../output.ts';
import { progressLine } from '../progress-line.ts';

export function registerRun(program: Command): void {
  withCommonOptions(
    program
      .command('run')
      .description('ingest new landing files and rebuild silver, gold and the warehouse')
      .option('--landing <dir>', 'landing folder (default from config, else demo/landing)')
      .option('--full-refresh', 'forget every ingested file and rebuild the lake from the landing folder')
      .option(
        '--date <YYYY-MM-DD>',
        'logical date of the run: the processed-zone partition it writes (default: today, UTC)',
      ),
  ).action(async (opts: CommonOptions & { landing?: string; fullRefresh?: boolean; date?: string }) => {
    const config = await configFor(opts);
    const server = await ServerClient.find(config.home);
    if (server) {
      // The server owns the home: the run is its to make; this command waits for it.
      const run = await server.post<DagRunRecord & { summary?: RunSummary }>('/api/dags/daily/runs', {
        ...(opts.date ? { logicalDate: opts.date } : {}),
        wait: true,
        conf: { landing: config.landing, fullRefresh: opts.fullRefresh === true },
      });
      if (opts.json) printJson(run.summary ?? run);
      else printRun(run, server.url);
      process.exitCode = run.summary ? runExitCode(run.summary) : run.state === 'failed' ? EXIT.runFailed : EXIT.ok;
      return;
    }
    // The same options serve uses: API sources, the PostgreSQL warehouse, S3.
    const summary = await runPipeline({
      ...orchestratorOptions(config, 'run', opts.json ? undefined : progressLine()),
      fullRefresh: opts.fullRefresh === true,
      ...(opts.date ? { logicalDate: opts.date } : {}),
    });
    if (opts.json) printJson(summary);
    else printRunSummary(summary);
    process.exitCode = runExitCode(summary);
  });
}

/** The run's exit code: a failed model or test is a failed run; other errors keep their kind's code. */
export function runExitCode(s: RunSummary): number {
  if (s.status !== 'failed') return EXIT.ok;
  const e = s.error;
  if (e) process.stderr.write(`error [${e.code}]: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
  if (!e || e.code === 'model_failed') return EXIT.runFailed;
  return e.kind === 'transient' ? EXIT.transient : e.kind === 'internal' ? EXIT.internal : EXIT.usage;
}

export function printRunSummary(s: RunSummary): void {
  const out = (line = '') => process.stdout.write(line + '\n');
  out(`${s.runId}  ${s.mode}  ${s.status.toUpperCase()}  in ${humanMs(s.ms)}`);
  const f = s.files;
  out(
    `files: ${f.discovered} in landing, ${f.unchanged} already seen, ${f.ingested} ingested, ` +
      `${f.quarantined} quarantined, ${f.duplicates} duplicate deliveries, ${f.failed} failed`,
  );
  if (s.rows.bronze || s.rows.bronzeRejected)
    out(`rows into bronze: ${humanNumber(s.rows.bronze)} (${s.rows.bronzeRejected} malformed, quarantined)`);
  const problems = s.fileResults.filter(
    (r) => r.status === 'quarantined' || r.status === 'failed' || r.status === 'dead_lettered',
  );
  if (problems.length) {
    out('\nfiles not ingested:');
    printTable(
      problems.map((p) => ({ file: p.path, status: p.status, reason: p.reason ?? '', detail: p.detail ?? '' })),
    );
  }
  if (s.stages.length) {
    out('\nstages:');
    printTable(
      s.stages.map((st) => ({
        stage: st.stage,
        time: humanMs(st.ms),
        rows: st.rows,
        'rows/s': Math.round(st.rows / Math.max(st.ms / 1000, 0.001)),
        'peak MiB': st.peakRssMb,
      })),
    );
  }
  if (s.tests.passed || s.tests.failures.length || s.tests.warnings.length) {
    out(
      `\ndata tests: ${s.tests.passed} passed, ${s.tests.warnings.length} warnings, ${s.tests.failures.length} failed`,
    );
    for (const w of s.tests.warnings) out(`  warn  ${w.model}: ${w.test} (${w.failures} rows)`);
    for (const w of s.tests.failures) out(`  FAIL  ${w.model}: ${w.test} (${w.failures} rows)`);
  }
  if (s.published.length)
    out(
      `\npublished ${s.published.length} tables to the warehouse: ` +
        `${s.published.map((p) => `${p.table} (${humanNumber(p.rows)})`).join(', ')}`,
    );
  if (s.status === 'nothing_new') out('nothing new in the landing folder: the warehouse is unchanged');
  if (s.files.failed)
    out(
      `\nwarning: ${s.files.failed} files failed every attempt and went to the ` +
        'dead-letter queue (see above); fix the cause, then `shoplake dlq replay --all`',
    );
  if (s.files.deadLettered) out(`${s.files.deadLettered} files wait in the dead-letter queue: \`shoplake dlq list\``);
}

export function printRun(run: DagRunRecord & { summary?: RunSummary | undefined }, via?: string): void {
  if (run.summary) printRunSummary(run.summary);
  process.stdout.write(
    `${run.runId}  ${run.dag}  ${run.logicalDate}  ${run.runType}  ` +
      `${run.state.toUpperCase()}${via ? `  (on ${via})` : ''}\n`,
  );
  if (run.error)
    process.stderr.write(
      `error [${run.error.code}]${run.error.subject ? ` in ${run.error.subject}` : ''}: ${run.error.message}\n`,
    );
  if (run.state === 'queued') process.stdout.write(`queued; follow it with \`shoplake runs show ${run.runId}\`\n`);
}
