import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { tempDir } from './helpers/temp-dir.ts';

const BIN = new URL('../bin/shoplake.cjs', import.meta.url).pathname;
const EXAMPLE = new URL('../examples/dags/revenue-export.ts', import.meta.url).pathname;

test('a DAG file from the config runs when the daily run refreshes the gold table it consumes', async () => {
  const root = await tempDir('userdag');
  const landing = join(root, 'landing');
  const home = join(root, 'home');
  await generateLanding({ out: landing, scale: 0.002, seed: 12, drops: 1 });
  const config = join(root, 'shoplake.config.json');
  await writeFile(config, JSON.stringify({ home, landing, dags: [EXAMPLE] }));
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args, '--config', config, '--json'], { encoding: 'utf8', cwd: root });

  const dags = JSON.parse(cli(['dags']).stdout) as Array<{ name: string; consumes: string[] }>;
  assert.deepEqual(
    dags.map((d) => d.name),
    ['daily', 'revenue_export'],
  );

  const ran = cli(['run', '--date', '2024-03-01']);
  assert.equal(ran.status, 0, ran.stderr);
  const runs = JSON.parse(cli(['runs']).stdout) as Array<{
    runId: string;
    dag: string;
    runType: string;
    state: string;
    logicalDate: string;
    conf: Record<string, unknown>;
  }>;
  const daily = runs.find((r) => r.dag === 'daily')!;
  const exported = runs.find((r) => r.dag === 'revenue_export');
  assert.deepEqual(
    [exported?.runType, exported?.state, exported?.logicalDate, exported?.conf['upstreamRun']],
    ['dataset', 'success', '2024-03-01', daily.runId],
  );

  const csv = (await readFile(join(home, 'exports', 'daily_revenue.csv'), 'utf8')).trim().split('\n');
  const days = JSON.parse(cli(['query', 'select count(*) as n from mart_daily_revenue']).stdout) as
    { rows: Array<{ n: number }> } | Array<{ n: number }>;
  const n = Array.isArray(days) ? days[0]!.n : days.rows[0]!.n;
  assert.equal(csv.length - 1, Number(n));
  assert.match(csv[0]!, /^date,/);

  // Nothing new: no refresh, so no export run.
  cli(['run', '--date', '2024-03-02']);
  const after = JSON.parse(cli(['runs']).stdout) as typeof runs;
  assert.equal(after.filter((r) => r.dag === 'revenue_export').length, 1);

  // A broken DAG file is refused naming the file.
  await writeFile(join(root, 'broken.ts'), 'export default 42;');
  await writeFile(config, JSON.stringify({ home, landing, dags: [join(root, 'broken.ts')] }));
  const bad = cli(['trigger', 'daily']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /dag_file_invalid/);
  assert.match(bad.stderr, /broken\.ts/);
});
