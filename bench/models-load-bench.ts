/**
 * What loading a project's models costs: writes N models of a project (each a .sql over the
 * built-in gold or earlier project models, every fourth with a YAML declaration and tests),
 * then times loading them with the built-in package (reading each declaration, every
 * model's dependencies from DuckDB's parser, the order) and building the daily DAG, over
 * several rounds. Prints figures; asserts nothing.
 *
 *   npm run bench:models -- --models 500 --rounds 5
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable } from '../src/cli/output.ts';
import { dailyDag } from '../src/pipeline/index.ts';
import { loadModels } from '../src/transform/index.ts';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '5' },
    dir: { type: 'string', default: '.bench/models' },
  },
});
const count = Number(values.models);
const dir = resolve(values.dir);
await rm(dir, { recursive: true, force: true });
const GOLD = ['fact_orders', 'dim_store', 'dim_product', 'dim_customer', 'mart_daily_revenue'];
for (let i = 0; i < count; i++) {
  const folder = join(dir, `area_${i % 20}`);
  await mkdir(folder, { recursive: true });
  // Each model reads a built-in table and, past the first ten, two earlier project models.
  const reads = [GOLD[i % GOLD.length]!, ...(i >= 10 ? [`m_${i - 1}`, `m_${Math.floor(i / 2)}`] : [])];
  const sql =
    `WITH base AS (SELECT * FROM ${reads[0]})\n` +
    `SELECT count(*) AS n FROM base` +
    reads
      .slice(1)
      .map((t) => ` CROSS JOIN (SELECT count(*) AS c FROM ${t}) ${t}_c`)
      .join('');
  await writeFile(join(folder, `m_${i}.sql`), sql);
  if (i % 4 === 0) {
    await writeFile(
      join(folder, `m_${i}.yaml`),
      `description: model ${i}\npublish: ${i % 8 === 0}\ntests:\n  - { kind: not_null, column: n }\n`,
    );
  }
}
const rows: Array<Record<string, unknown>> = [];
for (let r = 1; r <= Number(values.rounds); r++) {
  const started = performance.now();
  const models = await loadModels([dir]);
  const loaded = performance.now();
  const dag = dailyDag(models);
  const done = performance.now();
  rows.push({
    round: r,
    models: models.length,
    'dag tasks': dag.tasks.length,
    'load ms': Math.round(loaded - started),
    'dag ms': Math.round(done - loaded),
    'total ms': Math.round(done - started),
  });
}
process.stdout.write(formatTable(rows) + '\n');
