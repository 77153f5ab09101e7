import { relative } from 'node:path';
import type { Command } from 'commander';
import { selectNodes } from '../../common/index.ts';
import { lakeZoneOf, loadModels, SOURCES } from '../../transform/index.ts';
import { configFor, SELECT_OPTION, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { printJson, printTable } from '../output.ts';

interface ModelsOptions extends CommonOptions {
  select?: string[];
}

export function registerModels(program: Command): void {
  withCommonOptions(
    program
      .command('models')
      .description('the model graph, built-in and the project’s own, in run order, dependencies read from the SQL')
      .option(...SELECT_OPTION),
  ).action(async (opts: ModelsOptions) => {
    const config = await configFor(opts);
    const models = selectNodes(await loadModels(config.models.paths), opts.select ?? []);
    const rows = models.map((m) => ({
      model: m.name,
      origin: m.origin,
      zone: lakeZoneOf(m) ?? '-',
      published: m.publish === true,
      tests: m.tests?.length ?? 0,
      dependsOn: m.dependsOn,
      sources: m.dependsOn.filter((d) => SOURCES.has(d)),
      sql: m.origin === 'project' ? relative(process.cwd(), m.sqlPath) : m.sqlPath,
      description: m.description,
    }));
    if (opts.json) return printJson(rows);
    printTable(
      rows.map((r) => ({
        model: r.model,
        origin: r.origin,
        zone: r.zone,
        published: r.published ? 'yes' : 'no',
        tests: r.tests,
        'depends on': r.dependsOn.join(', '),
      })),
    );
  });
}
