import type { Command } from 'commander';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { catalogView } from '../../catalog/index.ts';
import { readHome } from '../server-client.ts';
import { printJson, printTable } from '../output.ts';

export function registerCatalog(program: Command): void {
  withCommonOptions(
    program
      .command('catalog')
      .description('entities, their columns, schema versions and drift events')
      .option('--entity <name>', 'only this entity'),
  ).action(async (opts: CommonOptions & { entity?: string }) => {
    const config = await configFor(opts);
    const { entities, drift } = await readHome(
      config,
      `/api/catalog${opts.entity ? `?entity=${encodeURIComponent(opts.entity)}` : ''}`,
      (state) => catalogView(state, opts.entity),
    );
    if (opts.json) return printJson({ entities, drift });
    for (const e of entities) {
      const latest = e.versions.at(-1)!;
      process.stdout.write(
        `\n${e.entity}: ${e.files} files, ${e.versions.length} schema ` +
          `versions; version ${latest.version} (from ${latest.first_file}):\n`,
      );
      printTable(
        latest.columns.map((c) => ({
          column: c['target'],
          header: c['source'],
          mapped_by: c['match'],
          looks_like: c['type'],
        })),
      );
    }
    process.stdout.write('\ndrift events:\n');
    printTable(drift);
  });
}
