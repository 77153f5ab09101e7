import { readFile, access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TerminalError } from '../errors/index.ts';
import { ConfigSchema, type ShoplakeConfig } from './config-schema.ts';

const DEFAULT_FILES = ['shoplake.config.json', 'shoplake.config.yaml', 'shoplake.config.yml'];

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
  file?: string;
  overrides?: Record<string, unknown>;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads the config file (`--config`, else shoplake.config.{json,yaml} in the current
 * folder, else none), applies command-line overrides, and validates the result.
 */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<ShoplakeConfig> {
  const cwd = opts.cwd ?? process.cwd();
  let file = opts.file ? resolve(cwd, opts.file) : undefined;
  if (!file) {
    for (const name of DEFAULT_FILES) {
      const candidate = resolve(cwd, name);
      if (
        await access(candidate).then(
          () => true,
          () => false,
        )
      ) {
        file = candidate;
        break;
      }
    }
  }
  let raw: unknown = {};
  if (file) {
    const text = await readFile(file, 'utf8').catch((err: Error) => {
      throw new TerminalError('config_unreadable', `cannot read config ${file}: ${err.message}`, { subject: file });
    });
    try {
      raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    } catch (err) {
      throw new TerminalError(
        'config_syntax',
        `config ${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
        { subject: file },
      );
    }
  }
  // An override of one field of a section (--warehouse sets warehouse.url) keeps the section's other fields.
  const base = raw as Record<string, unknown>;
  const isSection = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const merged = {
    ...base,
    ...Object.fromEntries(
      Object.entries(opts.overrides ?? {})
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, isSection(v) && isSection(base[k]) ? { ...base[k], ...v } : v]),
    ),
  };
  const parsed = ConfigSchema.safeParse(substituteEnv(merged, opts.env ?? process.env));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new TerminalError('config_invalid', `invalid config${file ? ` in ${file}` : ''}: ${issues}`, {
      subject: file,
      hint: 'fix the fields named; see the README for every option',
    });
  }
  return parsed.data;
}
