import type { Command } from 'commander';
import { loadConfig, type ShoplakeConfig } from '../config/index.ts';

export interface CommonOptions {
  home?: string;
  state?: string;
  warehouse?: string;
  lake?: string;
  config?: string;
  project?: string;
  json?: boolean;
}

/** --home, --project, --config, --json and the stores' URLs, which every command takes. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('--home <dir>', 'shoplake home: lake zones, state and warehouse (default from config, else demo/.shoplake)')
    .option('--state <url>', 'run history: duckdb (in the home, default) or a postgres:// URL')
    .option('--warehouse <url>', 'also publish gold to this postgres:// database (schema from config, default gold)')
    .option(
      '--lake <url>',
      "also publish the lake to this s3://bucket/prefix (connection from the config's s3 block or AWS_* variables)",
    )
    .option('--project <dir>', 'a shoplake project: the folder holding shoplake.yaml (default: the current folder)')
    .option(
      '--config <file>',
      'config file (default: shoplake.yaml, else shoplake.config.{json,yaml}, in the current folder)',
    )
    .option('--json', 'machine-readable output');
}

export function configFor(opts: CommonOptions & { landing?: string }): Promise<ShoplakeConfig> {
  return loadConfig({
    ...(opts.config ? { file: opts.config } : {}),
    ...(opts.project ? { project: opts.project } : {}),
    overrides: {
      home: opts.home,
      landing: opts.landing,
      state: opts.state ? { url: opts.state } : undefined,
      warehouse: opts.warehouse ? { url: opts.warehouse } : undefined,
      lake: opts.lake ? { url: opts.lake } : undefined,
    },
  });
}

/** `--select`, as `models` and `test` take it (dbt's graph operators; see selectNodes). */
export const SELECT_OPTION = [
  '--select <selectors...>',
  'NAME, +NAME (and what it reads), NAME+ (and what reads it), +NAME+',
] as const;
