import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from './helpers/temp-dir.ts';

const BIN = new URL('../bin/shoplake.cjs', import.meta.url).pathname;

function shoplake(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', ...(cwd ? { cwd } : {}) });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    json: () => JSON.parse(r.stdout) as Record<string, unknown>,
  };
}

test('the README commands work, with --json, stable exit codes and coded errors', async () => {
  const root = await tempDir('cli');
  const landing = join(root, 'landing');
  const home = join(root, 'home');

  const empty = shoplake(['query', '--home', home, 'select 1']);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /error \[home_empty\]/);

  const noLanding = shoplake(['run', '--home', home, '--landing', join(root, 'nowhere')]);
  assert.equal(noLanding.code, 2);
  assert.match(noLanding.stderr, /error \[landing_missing\]/);

  const gen = shoplake(['generate', '--out', landing, '--scale', '0.01', '--seed', '3', '--drops', '2', '--json']);
  assert.equal(gen.code, 0, gen.stderr);
  assert.ok((gen.json()['files'] as string[]).length > 15);

  const run = shoplake(['run', '--landing', landing, '--home', home, '--json']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.json()['status'], 'success');

  const q = shoplake(['query', '--home', home, '--json', 'select count(*)::INTEGER AS n from fact_orders']);
  assert.equal(q.code, 0, q.stderr);
  assert.ok((JSON.parse(q.stdout) as Array<{ n: number }>)[0]!.n > 0);
  const table = shoplake([
    'query',
    '--home',
    home,
    'select date, revenue from mart_daily_revenue order by date limit 3',
  ]);
  assert.match(table.stdout, /date\s+revenue\n─+/);

  const write = shoplake(['query', '--home', home, 'delete from fact_orders']);
  assert.equal(write.code, 2);
  assert.match(write.stderr, /error \[query_failed\].*read-only/i);

  const status = shoplake(['status', '--home', home, '--json']);
  assert.equal(status.code, 0, status.stderr);
  const layers = status.json()['layers'] as Array<{ layer: string; table: string; rows: number }>;
  assert.ok(layers.some((l) => l.layer === 'gold' && l.table === 'fact_orders' && l.rows > 0));

  const catalog = shoplake(['catalog', '--home', home, '--json']);
  assert.equal(catalog.code, 0, catalog.stderr);
  const drift = catalog.json()['drift'] as Array<{ kind: string }>;
  assert.ok(
    drift.some((d) => d.kind === 'renamed'),
    'drop 1 and drop 2 spell headers differently',
  );

  const report = shoplake(['report', '--home', home, '--json']);
  assert.equal(report.code, 0, report.stderr);
  assert.ok((report.json()['report'] as { invalidEmails: number }).invalidEmails >= 0);

  const again = shoplake(['run', '--landing', landing, '--home', home, '--json']);
  assert.equal(again.json()['status'], 'nothing_new');
});

test('a bad config is refused naming the field; a held home answers "try again later"', async () => {
  const root = await tempDir('cli-config');
  await writeFile(join(root, 'shoplake.config.json'), JSON.stringify({ engine: { memoryLimit: 'plenty' } }));
  const bad = shoplake(['status'], root);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /error \[config_invalid\].*engine\.memoryLimit/);
  // A project named from another folder: its file is read, and the refused field located in it.
  const project = await tempDir('cli-project');
  await writeFile(join(project, 'shoplake.yaml'), 'landing: drops\nengine:\n  memoryLimit: plenty\n');
  const located = shoplake(['status', '--project', project], root);
  assert.equal(located.code, 2);
  assert.match(located.stderr, /shoplake\.yaml: line 3, column 16: engine\.memoryLimit/);

  const other = await tempDir('cli-lock');
  const home = join(other, 'home');
  await mkdir(home, { recursive: true });
  // This test's own process holds the lock: it is alive, so the lock is not stale.
  await writeFile(
    join(home, 'shoplake.lock'),
    JSON.stringify({ pid: process.pid, purpose: 'test', since: new Date().toISOString() }),
  );
  const locked = shoplake(['run', '--home', home, '--landing', other], other);
  assert.equal(locked.code, 3);
  assert.match(locked.stderr, /error \[home_locked\].*pid \d+/);
});
