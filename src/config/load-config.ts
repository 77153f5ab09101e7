import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LineCounter, parseDocument, parse as parseYaml } from 'yaml';
import { errorMessage, TerminalError } from '../errors/index.ts';
import { findConfigFile } from './config-file.ts';
import { describeIssues, type LocatedSource } from '../common/index.ts';
import { ConfigSchema, type ShoplakeConfig } from './config-schema.ts';

/** Replaces `${NAME}` with the environment's value; an unset variable is an error. */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name];
      if (v === undefined)
        throw new TerminalError('config_env_missing', `config ${path || 'value'} uses \${${name}}, which is not set`, {
          hint: `export ${name}=...`,
        });
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, path ? `${path}.${k}` : k)]),
    );
  }
  return value;
}

export interface LoadConfigOptions {
  /** `--config`: read this file. */
  file?: string;
  /** `--project`: the project folder (or its shoplake.yaml). */
  project?: string;
  /** Command-line values; they win over the file's. */
  overrides?: Record<string, unknown>;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads the config (see findConfigFile for which file), applies command-line overrides
 * and validates the result once. In a project (`shoplake.yaml`) relative paths are read
 * from the project's folder, and the home and landing zone default to `.shoplake/` and
 * `landing/` in it. A field the schema refuses is named with its line in the file.
 */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<ShoplakeConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const found = await findConfigFile(cwd, opts);
  const file = found?.path;
  let raw: Record<string, unknown> = {};
  let located: LocatedSource | undefined;
  if (file) {
    const text = await readFile(file, 'utf8').catch((err: Error) => {
      throw new TerminalError('config_unreadable', `cannot read config ${file}: ${err.message}`, { subject: file });
    });
    const json = file.endsWith('.json');
    try {
      raw = ((json ? JSON.parse(text) : parseYaml(text)) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new TerminalError(
        'config_syntax',
        `config ${file} is not valid ${json ? 'JSON' : 'YAML'}: ${errorMessage(err)}`,
        {
          subject: file,
        },
      );
    }
    // JSON is YAML too: one parse with positions serves both, for naming where a field is.
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines });
    if (!doc.errors.length) located = { doc, lines };
  }
  const fromFile = substituteEnv(raw, env) as Record<string, unknown>;
  if (found?.projectDir) Object.assign(fromFile, projectPaths(fromFile, found.projectDir));
  // An override of one field of a section (--warehouse sets warehouse.url) keeps the section's other fields.
  const overrides = Object.entries(opts.overrides ?? {}).filter(([, v]) => v !== undefined);
  const merged = {
    ...fromFile,
    ...Object.fromEntries(
      overrides.map(([k, v]) => [k, isSection(v) && isSection(fromFile[k]) ? { ...fromFile[k], ...v } : v]),
    ),
  };
  const parsed = ConfigSchema.safeParse(substituteEnv(merged, env));
  if (!parsed.success) {
    const overridden = new Set(overrides.map(([k]) => k));
    const issues = describeIssues(parsed.error.issues, located, (path) => overridden.has(String(path[0])));
    throw new TerminalError('config_invalid', `invalid config${file ? ` in ${file}` : ''}: ${issues}`, {
      subject: file,
      hint: 'fix the fields named; see the README for every option',
    });
  }
  return parsed.data;
}

const isSection = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const URL_PATTERN = /^[a-z][a-z0-9+.-]*:\/\//;

/** A project's home, landing zone, DAG files and model folders, read from its folder (URLs as they are). */
function projectPaths(values: Record<string, unknown>, dir: string): Record<string, unknown> {
  const local = (v: unknown) => (typeof v === 'string' && !URL_PATTERN.test(v) ? resolve(dir, v) : v);
  return {
    home: local(values['home'] ?? '.shoplake'),
    landing: local(values['landing'] ?? 'landing'),
    ...(Array.isArray(values['dags']) ? { dags: values['dags'].map(local) } : {}),
    ...(isSection(values['models']) && Array.isArray(values['models']['paths'])
      ? { models: { ...values['models'], paths: values['models']['paths'].map(local) } }
      : {}),
  };
}
