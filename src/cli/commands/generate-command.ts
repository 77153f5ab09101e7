import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { generateLanding } from '../../generate/index.ts';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { humanMs, printJson, printTable } from '../output.ts';

export function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

export function positiveInt(v: string): number {
  const n = positiveNumber(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
}

export function registerGenerate(program: Command): void {
  withCommonOptions(
    program
      .command('generate')
      .description('write a messy synthetic retail data set (and its truth manifest) into a landing folder')
      .option('--out <dir>', 'landing folder to write (default: the configured landing)')
      .option('--scale <n>', 'volume: 1 = about 1,000,000 order lines and 3,000,000 events', positiveNumber, 0.05)
      .option('--seed <n>', 'random seed: the same seed writes the same bytes', positiveInt, 7)
      .option('--drops <n>', 'cut the data into this many deliveries', positiveInt, 1)
      .option('--drop <k>', 'write only delivery k (default: all)', positiveInt)
      .option('--monthly', 'split the big files by the month of their records, as a date-partitioned landing zone is'),
  ).action(
    async (
      opts: CommonOptions & {
        out?: string;
        scale: number;
        seed: number;
        drops: number;
        drop?: number;
        monthly?: boolean;
      },
    ) => {
      const config = await configFor(opts);
      const out = opts.out ?? config.landing;
      const result = await generateLanding({
        out,
        scale: opts.scale,
        seed: opts.seed,
        drops: opts.drops,
        ...(opts.drop ? { only: opts.drop } : {}),
        ...(opts.monthly ? { monthly: true } : {}),
        onFile: (path, done, total) => {
          if (!opts.json) process.stderr.write(`generate  ${done}/${total} files  ${path}\n`);
        },
      });
      const last = result.truth.at(-1);
      if (opts.json) {
        printJson({ out, files: result.files, ms: result.ms, truth: last });
        return;
      }
      process.stdout.write(
        `wrote ${result.files.length} files to ${out} in ${humanMs(result.ms)} (truth manifest in ${out}/_truth/)\n`,
      );
      if (last) printTable(Object.entries(last.tables).map(([table, rows]) => ({ table, expected_rows: rows })));
    },
  );
}
