import type { Command } from 'commander';
import { configFor, withCommonOptions, type CommonOptions } from '../common-options.ts';
import { openForReading } from '../open-home.ts';
import { printJson, printTable } from '../output.ts';

interface VersionRow {
  entity: string;
  version: number;
  columns: string;
  first_file: string;
  created_at: string;
}

export function registerCatalog(program: Command): void {
  withCommonOptions(
    program.command('catalog').description('entities, their columns, schema versions and drift events').option('--entity <name>', 'only this entity'),
  ).action(async (opts: CommonOptions & { entity?: string }) => {
    const config = await configFor(opts);
    const state = await openForReading(config.home, 'state');
    try {
      const filter = opts.entity ? 'WHERE entity = $entity' : '';
      const params = opts.entity ? { entity: opts.entity } : undefined;
      const versions = await state.all<VersionRow>(
        `SELECT entity, version, columns::VARCHAR AS columns, first_file, created_at::VARCHAR AS created_at FROM schema_versions ${filter} ORDER BY entity, version`,
        params,
      );
      const drift = await state.all(`SELECT entity, version, kind, column_name, detail, file FROM drift_events ${filter} ORDER BY entity, version, kind, column_name`, params);
      const files = await state.all<{ entity: string; files: number }>(
        `SELECT entity, count(*)::INTEGER AS files FROM ingested_files WHERE status = 'ingested' ${opts.entity ? 'AND entity = $entity' : ''} GROUP BY entity`,
        params,
      );
      const entities = [...new Set(versions.map((v) => v.entity))].map((entity) => {
        const vs = versions.filter((v) => v.entity === entity);
        const latest = vs.at(-1)!;
        return {
          entity,
          files: files.find((f) => f.entity === entity)?.files ?? 0,
          versions: vs.map((v) => ({ version: Number(v.version), first_file: v.first_file, created_at: v.created_at, columns: JSON.parse(v.columns) as Array<Record<string, string>> })),
          latest: Number(latest.version),
        };
      });
      if (opts.json) return printJson({ entities, drift });
      for (const e of entities) {
        const latest = e.versions.at(-1)!;
        process.stdout.write(`\n${e.entity}: ${e.files} files, ${e.versions.length} schema versions; version ${latest.version} (from ${latest.first_file}):\n`);
        printTable(latest.columns.map((c) => ({ column: c['target'], header: c['source'], mapped_by: c['match'], looks_like: c['type'] })));
      }
      process.stdout.write('\ndrift events:\n');
      printTable(drift);
    } finally {
      state.close();
    }
  });
}
