import type { Command } from 'commander';
import { selectNodes } from '../../common/index.ts';
import { LakeLayout } from '../../lake/index.ts';
import { testLastBuild } from '../../pipeline/index.ts';
import { loadModels } from '../../transform/index.ts';
import { configFor, SELECT_OPTION, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { EXIT, printJson, printTable } from '../output.ts';

interface TestOptions extends CommonOptions {
  select?: string[];
}

export function registerTest(program: Command): void {
  withCommonOptions(
    program
      .command('test')
      .description('data tests only, against the tables of the last build (exit 1 when a blocking test fails)')
      .option(...SELECT_OPTION),
  ).action(async (opts: TestOptions) => {
    const config = await configFor(opts);
    const models = await loadModels(config.models.paths);
    const outcomes = await testLastBuild(new LakeLayout(config.home), models, selectNodes(models, opts.select ?? []));
    const blocking = outcomes.some(
      (o) => o.status === 'tested' && o.results.some((r) => r.status === 'fail' && r.severity === 'error'),
    );
    if (opts.json) printJson(outcomes);
    else {
      printTable(
        outcomes.flatMap((o): Array<Record<string, unknown>> =>
          o.status === 'skipped'
            ? [{ model: o.model, test: '-', severity: '-', status: 'skipped', failures: o.reason }]
            : o.results.map((r) => ({
                model: r.model,
                test: r.test,
                severity: r.severity,
                status: r.status,
                failures: r.failures,
              })),
        ),
      );
    }
    if (blocking) process.exitCode = EXIT.runFailed;
  });
}
