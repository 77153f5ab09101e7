import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../common/index.ts';
import { TerminalError } from '../errors/index.ts';
import { DataTestSpecSchema } from '../quality/index.ts';
import type { DeclaredModel } from './model-declaration.ts';

/** A project model's `<name>.yaml`: every key optional; the model's name is its file's. */
export const ProjectModelSchema = z
  .object({
    description: z.string().default(''),
    /** What one row is, e.g. "one row per store and day". */
    grain: z.string().default(''),
    /** The columns that identify a row. */
    key: z.array(z.string().min(1)).default([]),
    /** What each column means, by name. */
    columns: z.record(z.string(), z.string()).optional(),
    tests: z.array(DataTestSpecSchema).optional(),
    /** Published to the warehouse (and unloaded to `processed`); `false` keeps it a step of the build. */
    publish: z.boolean().default(true),
    /** The column holding each row's business day: the processed unload of a day takes only its rows. */
    partitionBy: z
      .object({ column: z.string().min(1), kind: z.enum(['date', 'date_key']) })
      .strict()
      .optional(),
  })
  .strict();

/** Every `*.sql` under the folders, with its declaration; two models of one name are refused. */
export async function projectModels(paths: readonly string[]): Promise<DeclaredModel[]> {
  const found = new Map<string, DeclaredModel>();
  for (const dir of paths) {
    const entries = await readdir(dir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
      throw new TerminalError(
        'model_path_missing',
        `cannot read the models folder ${dir}: ${err.code ?? err.message}`,
        {
          subject: dir,
          hint: 'fix models.paths in shoplake.yaml',
        },
      );
    });
    for (const rel of entries.filter((f) => f.endsWith('.sql')).sort()) {
      const sqlPath = join(dir, rel);
      const model = await projectModel(sqlPath);
      const twin = found.get(model.name);
      if (twin) {
        throw new TerminalError('graph_duplicate_node', `two models are named "${model.name}"`, {
          subject: sqlPath,
          hint: `rename ${sqlPath} or ${twin.sqlPath}`,
        });
      }
      found.set(model.name, model);
    }
  }
  return [...found.values()];
}

async function projectModel(sqlPath: string): Promise<DeclaredModel> {
  const name = basename(sqlPath, '.sql');
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new TerminalError('model_declaration_invalid', `${sqlPath}: a model's name is a lower-case SQL identifier`, {
      subject: sqlPath,
      hint: 'rename the file, e.g. store_orders.sql',
    });
  }
  const sql = await readFile(sqlPath, 'utf8');
  const yamlPath = sqlPath.replace(/\.sql$/, '.yaml');
  const text = await readFile(yamlPath, 'utf8').catch(() => undefined);
  const decl = text === undefined ? ProjectModelSchema.parse({}) : declaration(yamlPath, text);
  return { name, layer: 'gold', ...decl, sql, sqlPath };
}

function declaration(yamlPath: string, text: string): z.infer<typeof ProjectModelSchema> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length) {
    throw new TerminalError('model_declaration_invalid', `${yamlPath} is not valid YAML: ${doc.errors[0]!.message}`, {
      subject: yamlPath,
    });
  }
  const parsed = ProjectModelSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error.issues, { doc, lines });
  throw new TerminalError('model_declaration_invalid', `invalid model declaration ${yamlPath}: ${issues}`, {
    subject: yamlPath,
    hint: 'see "Models of your own" in the README for every key',
  });
}
