import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ALLOCATOR_DECAY } from './allocator-decay.ts';

// A fresh process each: jemalloc reads its configuration once, at DuckDB's first allocation.
function inChild(env: Record<string, string | undefined>, script: string): { stdout: string; stderr: string } {
  const childEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: childEnv,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return { stdout: r.stdout, stderr: r.stderr };
}

const OPEN_AND_REPORT = `
  const { DuckSession } = await import(${JSON.stringify(new URL('./duck-session.ts', import.meta.url).href)});
  const db = await DuckSession.open(':memory:');
  await db.run('SELECT 1');
  console.log(process.env.DUCKDB_JE_MALLOC_CONF);`;

test("DuckDB's allocator keeps freed pages for reuse unless the user configured it", () => {
  assert.equal(inChild({ DUCKDB_JE_MALLOC_CONF: undefined }, OPEN_AND_REPORT).stdout.trim(), ALLOCATOR_DECAY);
  assert.equal(inChild({ DUCKDB_JE_MALLOC_CONF: 'narenas:1' }, OPEN_AND_REPORT).stdout.trim(), 'narenas:1');
});

test("jemalloc takes a value set in process.env while the process runs, at DuckDB's first allocation", () => {
  // stats_print makes jemalloc report its options at exit, so the child shows what it read.
  const script = `process.env.DUCKDB_JE_MALLOC_CONF = '${ALLOCATOR_DECAY},stats_print:true';` + OPEN_AND_REPORT;
  const out = inChild({}, script).stderr;
  assert.match(out, /opt\.dirty_decay_ms: 5000/);
  assert.match(out, /opt\.muzzy_decay_ms: 5000/);
});
