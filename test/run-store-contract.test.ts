import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openStateStore } from '../src/engines/duckdb/index.ts';
import { DuckdbRunStore } from '../src/engines/duckdb/index.ts';
import { PostgresRunStore } from '../src/engines/postgres/index.ts';
import { type DagRunRecord, type RunStore } from '../src/dag/index.ts';
import { dropSchema, POSTGRES_URL, postgresAvailable } from './helpers/postgres.ts';
import { tempDir } from './helpers/temp-dir.ts';

const run = (id: string, extra: Partial<DagRunRecord> = {}): DagRunRecord => ({
  runId: id,
  dag: 'daily',
  logicalDate: '2024-03-01',
  runType: 'manual',
  state: 'queued',
  conf: { landing: 'x' },
  queuedAt: new Date(Date.parse('2024-03-02T00:00:00Z') + Number(id.replace(/\D/g, '')) * 1000).toISOString(),
  ...extra,
});

/** One contract, every store: what the executor, scheduler and API rely on. */
async function contract(store: RunStore): Promise<void> {
  assert.equal(await store.createRun(run('r1', { runType: 'scheduled' })), true);
  assert.equal(
    await store.createRun(run('r2', { runType: 'backfill' })),
    false,
    'one scheduled/backfill run per DAG and day',
  );
  assert.equal(await store.createRun(run('r3', { runType: 'manual' })), true, 'manual runs are not limited');
  assert.equal(
    await store.createRun(run('r4', { runType: 'backfill' }), { rerun: true }),
    false,
    'no rerun while the day is still queued',
  );
  await store.updateRun('r1', {
    state: 'success',
    startedAt: '2024-03-02T00:00:05.000Z',
    finishedAt: '2024-03-02T00:01:00.000Z',
  });
  assert.equal(
    await store.createRun(run('r5', { runType: 'backfill' }), { rerun: true }),
    true,
    'a deliberate rerun of a finished day',
  );
  assert.equal(await store.createRun(run('r6', { runType: 'scheduled', logicalDate: '2024-03-05' })), true);

  const r1 = await store.getRun('r1');
  assert.deepEqual(r1, {
    ...run('r1', { runType: 'scheduled' }),
    state: 'success',
    startedAt: '2024-03-02T00:00:05.000Z',
    finishedAt: '2024-03-02T00:01:00.000Z',
    error: undefined,
  });
  assert.equal(await store.getRun('nope'), undefined);
  assert.deepEqual(
    (await store.listRuns()).map((r) => r.runId),
    ['r6', 'r5', 'r3', 'r1'],
  );
  assert.deepEqual(
    (await store.listRuns({ state: 'queued', order: 'oldest', limit: 2 })).map((r) => r.runId),
    ['r3', 'r5'],
  );
  assert.deepEqual(
    (await store.listRuns({ runType: 'scheduled' })).map((r) => r.runId),
    ['r6', 'r1'],
  );
  assert.equal(await store.lastLogicalDate('daily', ['scheduled', 'backfill']), '2024-03-05');
  assert.equal(await store.lastLogicalDate('other', ['scheduled']), undefined);
  assert.equal((await store.findRun('daily', '2024-03-01', ['scheduled', 'backfill']))?.runId, 'r5');

  await store.saveTask({
    runId: 'r3',
    task: 'ingest',
    group: 'ingest',
    state: 'running',
    attempt: 1,
    startedAt: '2024-03-02T00:00:10.000Z',
  });
  await store.saveTask({
    runId: 'r3',
    task: 'ingest',
    group: 'ingest',
    state: 'up_for_retry',
    attempt: 1,
    startedAt: '2024-03-02T00:00:10.000Z',
    finishedAt: '2024-03-02T00:00:11.000Z',
    durationMs: 1000,
    error: { code: 'io', kind: 'transient', message: 'disk' },
  });
  await store.saveTask({ runId: 'r3', task: 'publish', state: 'queued', attempt: 0 });
  await store.appendLog({ runId: 'r3', task: 'ingest', attempt: 1, at: '2024-03-02T00:00:10.500Z', message: 'first' });
  await store.appendLog({
    runId: 'r3',
    task: 'ingest',
    attempt: 1,
    at: '2024-03-02T00:00:10.500Z',
    message: 'second, same instant',
  });
  await store.appendLog({ runId: 'r3', task: 'publish', attempt: 1, at: '2024-03-02T00:00:12.000Z', message: 'third' });
  const tasks = await store.tasks('r3');
  assert.deepEqual(
    tasks.map((t) => [t.task, t.state, t.attempt, t.durationMs, t.error?.code]),
    [
      ['ingest', 'up_for_retry', 1, 1000, 'io'],
      ['publish', 'queued', 0, undefined, undefined],
    ],
  );
  assert.deepEqual(
    (await store.logs('r3')).map((l) => l.message),
    ['first', 'second, same instant', 'third'],
  );
  assert.deepEqual(
    (await store.logs('r3', 'publish')).map((l) => l.message),
    ['third'],
  );

  await store.updateRun('r3', { state: 'running' });
  assert.deepEqual(await store.failOrphanedRuns('process died', ['running']), ['r3']);
  assert.equal((await store.getRun('r3'))?.state, 'failed');
  assert.equal((await store.getRun('r3'))?.error?.code, 'run_orphaned');
  assert.deepEqual(
    (await store.tasks('r3')).map((t) => t.state),
    ['failed', 'failed'],
  );
  assert.equal((await store.getRun('r5'))?.state, 'queued', 'queued runs are left for a restart to run');
  assert.deepEqual(await store.failOrphanedRuns('process died'), ['r5', 'r6']);
}

test('run store contract: DuckDB', async () => {
  const db = await openStateStore(join(await tempDir('store'), 'state.duckdb'));
  try {
    await contract(new DuckdbRunStore(db));
  } finally {
    await db.close();
  }
});

test('run store contract: PostgreSQL, migrated in place and idempotent to reconnect', async (t) => {
  if (!(await postgresAvailable(t))) return;
  const schema = `shoplake_test_${randomBytes(4).toString('hex')}`;
  t.after(() => dropSchema(schema));
  const store = await PostgresRunStore.connect(POSTGRES_URL, { schema });
  try {
    await contract(store);
  } finally {
    await store.close();
  }
  // A second connect finds the schema at its version and keeps the history.
  const again = await PostgresRunStore.connect(POSTGRES_URL, { schema });
  try {
    assert.equal((await again.listRuns({ limit: 100 })).length, 4);
  } finally {
    await again.close();
  }
});

test(
  'a PostgreSQL state URL that does not answer is a ' + 'transient error naming the URL without its password',
  async () => {
    await assert.rejects(
      PostgresRunStore.connect('postgres://me:secret@127.0.0.1:1/none'),
      (e: Error & { code?: string; kind?: string; subject?: string }) =>
        e.code === 'state_unreachable' && e.kind === 'transient' && !String(e.subject).includes('secret'),
    );
  },
);

test('shoplake run --state postgres://… keeps the daily run, its tasks and logs in PostgreSQL', async (t) => {
  if (!(await postgresAvailable(t))) return;
  const { generateLanding } = await import('../src/generate/generate-landing.ts');
  const { spawnSync } = await import('node:child_process');
  const schema = `shoplake_test_${randomBytes(4).toString('hex')}`;
  t.after(() => dropSchema(schema));
  const root = await tempDir('pgstate');
  await generateLanding({ out: join(root, 'landing'), scale: 0.002, seed: 4, drops: 1 });
  const url = `${POSTGRES_URL}?schema=${schema}`;
  const bin = new URL('../bin/shoplake.cjs', import.meta.url).pathname;
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args, '--home', join(root, 'home'), '--state', url, '--json'], {
      encoding: 'utf8',
    });
  const ran = cli(['run', '--landing', join(root, 'landing'), '--date', '2024-03-01']);
  assert.equal(ran.status, 0, ran.stderr);
  const store = await PostgresRunStore.connect(url);
  try {
    const [only] = await store.listRuns();
    assert.deepEqual([only?.dag, only?.logicalDate, only?.state], ['daily', '2024-03-01', 'success']);
    assert.ok((await store.tasks(only!.runId)).some((x) => x.task === 'publish' && x.state === 'success'));
    assert.ok((await store.logs(only!.runId, 'ingest')).length > 0);
  } finally {
    await store.close();
  }
  const listed = cli(['runs']);
  assert.equal(listed.status, 0, listed.stderr);
  assert.equal((JSON.parse(listed.stdout) as DagRunRecord[]).length, 1);
});
