import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage, TerminalError } from '../errors/index.ts';
import type { LakeLayout } from '../lake/index.ts';
import type { Dag } from './dag-definition.ts';

/** What a DAG file's factory is given: where the home's files are. */
export interface DagFileContext {
  home: string;
  landing: string;
  warehouseDb: string;
  layout: LakeLayout;
}

type DagExport =
  | Dag<unknown>
  | Dag<unknown>[]
  | ((ctx: DagFileContext) => Dag<unknown> | Dag<unknown>[] | Promise<Dag<unknown> | Dag<unknown>[]>);

/**
 * Loads user DAGs from TypeScript or JavaScript modules (config `dags`). A module's default
 * export is a DAG made with `defineDag`, a list of them, or a function of the home that
 * returns either. A file that does not load or export DAGs is refused, naming the file.
 */
export async function loadDagFiles(
  files: readonly string[],
  ctx: DagFileContext,
  cwd = process.cwd(),
): Promise<Dag<unknown>[]> {
  const out: Dag<unknown>[] = [];
  for (const file of files) {
    const path = resolve(cwd, file);
    let exported: DagExport;
    try {
      exported = ((await import(pathToFileURL(path).href)) as { default: DagExport }).default;
    } catch (err) {
      throw new TerminalError('dag_file_invalid', `cannot load DAG file ${path}: ${errorMessage(err).split('\n')[0]}`, {
        subject: path,
        hint: 'fix the file, or remove it from `dags` in the config',
        cause: err,
      });
    }
    const made = typeof exported === 'function' ? await exported(ctx) : exported;
    const dags = Array.isArray(made) ? made : [made];
    for (const d of dags) {
      if (!d || typeof d !== 'object' || typeof d.name !== 'string' || !Array.isArray(d.order)) {
        throw new TerminalError('dag_file_invalid', `${path} does not export DAGs made with defineDag()`, {
          subject: path,
          hint: 'export default defineDag({ name, description, tasks })',
        });
      }
      out.push(d);
    }
  }
  return out;
}
