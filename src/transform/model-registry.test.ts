import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShoplakeError } from '../errors/index.ts';
import { loadModels } from './model-registry.ts';

test('built-in models: dependencies from their SQL, in run order, with the bronze each build reads', async () => {
  const models = await loadModels();
  const by = new Map(models.map((m) => [m.name, m]));
  assert.deepEqual(by.get('fact_orders')?.dependsOn, [
    'dim_customer',
    'dim_product',
    'dim_store',
    'silver_order_items',
    'silver_orders',
  ]);
  assert.deepEqual(by.get('stg_orders')?.dependsOn, ['bronze_orders']);
  assert.deepEqual(by.get('silver_orders')?.dependsOn, ['bronze_files', 'stg_orders']);
  assert.deepEqual(by.get('silver_orders')?.bronzeInputs, ['orders']);
  assert.deepEqual(by.get('silver_rejects')?.bronzeInputs, [
    'customers',
    'events',
    'order_items',
    'orders',
    'products',
    'stores',
  ]);
  assert.deepEqual(by.get('quality_duplicates')?.bronzeInputs, []);
  assert.deepEqual(by.get('mart_daily_revenue')?.bronzeInputs, []);
  const position = new Map(models.map((m, i) => [m.name, i]));
  for (const m of models)
    for (const d of m.dependsOn) if (by.has(d)) assert.ok(position.get(d)! < position.get(m.name)!);
});

async function modelsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'models-'));
  await mkdir(join(dir, 'gold'));
  for (const [name, sql] of Object.entries(files)) {
    await writeFile(join(dir, 'gold', `${name}.sql`), sql);
    const decl = { name, layer: 'gold', description: '', grain: '', key: [] };
    await writeFile(join(dir, 'gold', `${name}.ts`), `export default ${JSON.stringify(decl)};\n`);
  }
  return dir;
}

test('a model reading an unknown table, a cycle, or SQL DuckDB cannot parse is refused naming the file', async () => {
  const unknown = await modelsDir({ a: 'SELECT * FROM bronze_orders', b: 'SELECT * FROM a JOIN nowhere USING (x)' });
  await assert.rejects(
    loadModels([], unknown),
    (e: unknown) =>
      e instanceof ShoplakeError &&
      e.code === 'model_unknown_table' &&
      /gold\/b\.sql: model "b" reads "nowhere"/.test(e.message),
  );
  const cycle = await modelsDir({ a: 'SELECT * FROM b', b: 'SELECT * FROM a' });
  await assert.rejects(loadModels([], cycle), (e: unknown) => e instanceof ShoplakeError && e.code === 'graph_cycle');
  const broken = await modelsDir({ a: 'SELEC 1' });
  await assert.rejects(
    loadModels([], broken),
    (e: unknown) => e instanceof ShoplakeError && e.code === 'model_sql_invalid' && /gold\/a\.sql/.test(e.message),
  );
});
