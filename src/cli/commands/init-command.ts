import { cp } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { PROJECT_FILE } from '../../config/index.ts';
import { TerminalError } from '../../errors/index.ts';
import { generateLanding } from '../../generate/index.ts';
import { pathExists } from '../../lake/index.ts';
import { positiveInt, positiveNumber } from './generate-command.ts';
import { printJson } from '../output.ts';

/** The project `init` copies: kept in the repository's examples, and run by its tests. */
const TEMPLATE = new URL('../../../examples/shop/', import.meta.url);

interface InitOptions {
  scale: number;
  seed: number;
  data: boolean;
  json?: boolean;
}

export function registerInit(program: Command): void {
  program
    .command('init <dir>')
    .description('write a shoplake project that runs at once: shoplake.yaml, a model of your own, demo landing data')
    .option('--scale <n>', 'volume of the demo data (1 = about 1,000,000 order lines)', positiveNumber, 0.02)
    .option('--seed <n>', 'random seed of the demo data', positiveInt, 7)
    .option('--no-data', 'leave the landing folder empty')
    .option('--json', 'machine-readable output')
    .action(async (dir: string, opts: InitOptions) => {
      const target = resolve(dir);
      const file = join(target, PROJECT_FILE);
      if (await pathExists(file)) {
        throw new TerminalError('project_exists', `${file} exists: ${target} is a shoplake project already`, {
          subject: file,
          hint: 'run shoplake there, or init another folder',
        });
      }
      await cp(TEMPLATE, target, { recursive: true, errorOnExist: true, force: false });
      const landing = join(target, 'landing');
      const files = opts.data
        ? (await generateLanding({ out: landing, scale: opts.scale, seed: opts.seed, drops: 1 })).files.length
        : 0;
      if (opts.json) return printJson({ project: target, landing, files });
      const at = relative(process.cwd(), target) || '.';
      process.stdout.write(
        `wrote a shoplake project in ${at}${files ? ` with ${files} demo landing files` : ''}; next:\n` +
          `  cd ${at}\n  npx shoplake run\n  npx shoplake models\n  npx shoplake serve\n` +
          `(${join(at, 'README.md')} says what each part is)\n`,
      );
    });
}
