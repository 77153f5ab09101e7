import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ENTITY_NAMES, type EntityName } from '../contract/index.ts';
import { DuckSession, type SqlSession } from '../duck/index.ts';
import { TerminalError } from '../errors/index.ts';
import { topologicalOrder } from '../common/index.ts';
import type { DeclaredModel, Model, ModelDeclaration } from './model-declaration.ts';
import { projectModels } from './project-models.ts';
import { tableReferences } from './sql-references.ts';

const MODELS_DIR = fileURLToPath(new URL('./models/', import.meta.url));

/** The source (view) name models read an entity's bronze files by. */
export function sourceOf(entity: EntityName): string {
  return `bronze_${entity}`;
}

/** The table naming each bronze file's landing file and batch by `_file_seq` (see createBronzeSources). */
export const LINEAGE_SOURCE = 'bronze_files';

/** Sources the models read, provided by the runner from the bronze zone. */
export const SOURCES: ReadonlySet<string> = new Set([...ENTITY_NAMES.map(sourceOf), LINEAGE_SOURCE]);

/** The entity a source name reads, for a name in SOURCES. */
export function entityOfSource(source: string): EntityName | undefined {
  return ENTITY_NAMES.find((e) => sourceOf(e) === source);
}

/**
 * The models of a run, in run order: the built-in package (every model under
 * `builtinDir`/<layer>/, a `<name>.ts` declaration beside `<name>.sql`) and the project's
 * own under `projectPaths` (see projectModels), which replace built-in ones of the same
 * name. What a model depends on is read from its SQL; a table that is no model or source
 * is refused naming the file.
 */
export async function loadModels(projectPaths: readonly string[] = [], builtinDir = MODELS_DIR): Promise<Model[]> {
  const parser = await DuckSession.open(':memory:', { threads: 1 });
  try {
    const byName = new Map<string, Model>();
    for (const layer of (await readdir(builtinDir, { withFileTypes: true })).filter((d) => d.isDirectory())) {
      const layerDir = join(builtinDir, layer.name);
      const files = (await readdir(layerDir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
      for (const file of files) {
        const model = await builtinModel(layerDir, file);
        byName.set(model.name, await withDependencies(parser, model, 'builtin'));
      }
    }
    for (const model of await projectModels(projectPaths)) {
      byName.set(model.name, await withDependencies(parser, model, 'project'));
    }
    return ordered([...byName.values()]);
  } finally {
    await parser.close();
  }
}

async function withDependencies(parser: SqlSession, model: DeclaredModel, origin: Model['origin']): Promise<Model> {
  const dependsOn = (await tableReferences(parser, model.sql, model.sqlPath)).filter((t) => t !== model.name);
  return { ...model, origin, dependsOn, bronzeInputs: [] };
}

async function builtinModel(layerDir: string, file: string): Promise<DeclaredModel> {
  const mod = (await import(pathToFileURL(join(layerDir, file)).href)) as { default?: ModelDeclaration };
  const decl = mod.default;
  const sqlPath = join(layerDir, file.replace(/\.ts$/, '.sql'));
  if (!decl || decl.name !== file.replace(/\.ts$/, '')) {
    throw new TerminalError(
      'model_declaration_invalid',
      `${file} must default-export a declaration named "${file.replace(/\.ts$/, '')}"`,
      { subject: join(layerDir, file) },
    );
  }
  const sql = await readFile(sqlPath, 'utf8').catch(() => {
    throw new TerminalError('model_sql_missing', `model "${decl.name}" has no SQL file`, {
      subject: sqlPath,
      hint: `create ${sqlPath}`,
    });
  });
  return { ...decl, sql, sqlPath };
}

/** The models in run order, each with the entities whose bronze its build reads. */
function ordered(models: Model[]): Model[] {
  const names = new Set(models.map((m) => m.name));
  for (const m of models) {
    const unknown = m.dependsOn.find((d) => !names.has(d) && !SOURCES.has(d));
    if (unknown) {
      throw new TerminalError(
        'model_unknown_table',
        `${m.sqlPath}: model "${m.name}" reads "${unknown}", which is no model or source`,
        {
          subject: m.sqlPath,
          hint: `read a model or a source (bronze_<entity>, ${LINEAGE_SOURCE}); \`shoplake models\` lists them`,
        },
      );
    }
  }
  const inRunOrder = topologicalOrder(models, SOURCES);
  // Every entity a model's bronze reads reach, through the models it reads.
  const reached = new Map<string, Set<string>>();
  for (const m of inRunOrder) {
    const direct = m.dependsOn.map(entityOfSource).filter((e) => e !== undefined);
    const staged = m.dependsOn.flatMap((d) => [...(reached.get(d) ?? [])]);
    reached.set(m.name, new Set([...direct, ...staged]));
    const lineage = m.dependsOn.includes(LINEAGE_SOURCE) ? staged : [];
    m.bronzeInputs = [...new Set([...direct, ...lineage])].sort();
  }
  return inRunOrder;
}
