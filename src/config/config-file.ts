import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { TerminalError } from '../errors/index.ts';
import { pathExists } from '../lake/index.ts';

/** A shoplake project's file: the config of a folder that holds the user's own work beside it. */
export const PROJECT_FILE = 'shoplake.yaml';

/** Config files of a plain folder, read when it holds no project file. */
const CONFIG_FILES = ['shoplake.config.json', 'shoplake.config.yaml', 'shoplake.config.yml'];

/** The config file a command reads, and the project folder when it is a project's. */
export interface ConfigFile {
  path: string;
  /** The folder of a `shoplake.yaml`: relative paths in it are read from there. */
  projectDir?: string;
}

/**
 * The file a command reads: `--config` as given; else `--project` (a folder holding
 * `shoplake.yaml`, or the file itself); else `shoplake.yaml` in the current folder, then
 * `shoplake.config.{json,yaml,yml}` there; else none (every default applies).
 */
export async function findConfigFile(
  cwd: string,
  opts: { file?: string; project?: string } = {},
): Promise<ConfigFile | undefined> {
  if (opts.file) {
    const path = resolve(cwd, opts.file);
    return path.endsWith(`/${PROJECT_FILE}`) ? { path, projectDir: dirname(path) } : { path };
  }
  if (opts.project) {
    const given = resolve(cwd, opts.project);
    const isDir = await stat(given).then(
      (s) => s.isDirectory(),
      () => undefined,
    );
    const path = isDir === false ? given : join(given, PROJECT_FILE);
    if (!(await pathExists(path))) {
      throw new TerminalError('config_unreadable', `no shoplake project at ${given}: ${path} does not exist`, {
        subject: path,
        hint: `pass the folder that holds ${PROJECT_FILE}, or create one there`,
      });
    }
    return { path, projectDir: dirname(path) };
  }
  const project = join(cwd, PROJECT_FILE);
  if (await pathExists(project)) return { path: project, projectDir: cwd };
  for (const name of CONFIG_FILES) if (await pathExists(join(cwd, name))) return { path: join(cwd, name) };
  return undefined;
}
