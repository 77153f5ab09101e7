import type { Command } from 'commander';
import { LakeLayout } from '../../lake/index.ts';
import { homeStatus } from '../../home/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { readHome } from '../server-client.ts';
import { humanMs, printJson, printTable } from '../output.ts';

export function registerStatus(program: Command): void {
  withCommonOptions(
    program
      .command('status')
      .description('last runs, files ingested/skipped/quarantined, and row counts per layer')
      .option('--runs <n>', 'how many runs to list', (v) => Number(v), 10),
  ).action(async (opts: CommonOptions & { runs: number }) => {
    const config = await configFor(opts);
    const layout = new LakeLayout(config.home);
    const result = await readHome(config, `/api/status?runs=${opts.runs}`, (state) =>
      homeStatus(state, layout, opts.runs),
    );
    if (opts.json) return printJson(result);
    process.stdout.write(`home: ${config.home}\n\nlast runs:\n`);
    printTable(result.runs.map((r) => ({ ...r, ms: r['ms'] === null ? '' : humanMs(Number(r['ms'])) })));
    process.stdout.write('\nlanding files by status and entity:\n');
    printTable(result.files);
    process.stdout.write('\nrows per layer:\n');
    printTable(result.layers);
  });
}
