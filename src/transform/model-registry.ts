import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ENTITY_NAMES, type EntityName } from '../contract/index.ts';
import { TerminalError } from '../errors/index.ts';
import { topologicalOrder } from '../common/index.ts';
import type { Model, ModelDeclaration } from './model-declaration.ts';

const MODELS_DIR = fileURLToPath(new URL('./models/', import.meta.url));

/** The source (view) name models read an entity's bronze files by. */
export function sourceOf(entity: EntityName): string {
  return `bronze_${entity}`;
}

/** Sources the models read, provided by the runner from the bronze zone. */
export const SOURCES: ReadonlySet<string> = new Set(ENTITY_NAMES.map(sourceOf));

/** The entity a source name reads, for a name in SOURCES. */
export function entityOfSource(source: string): EntityName | undefined {
  return ENTITY_NAMES.find((e) => sourceOf(e) === source);
}

/**
 * Every model under models/<layer>/, in run order. Each `<name>.ts` default-exports its
 * declaration and has `<name>.sql` beside it.
 */
export async function loadModels(dir = MODELS_DIR): Promise<Model[]> {
  const models: Model[] = [];
  for (const layer of (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    const layerDir = join(dir, layer.name);
    for (const file of (await readdir(layerDir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort()) {
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
      models.push({ ...decl, sql, sqlPath });
    }
  }
  return topologicalOrder(models, SOURCES);
}
