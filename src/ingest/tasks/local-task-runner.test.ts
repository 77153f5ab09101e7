import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckSession } from '../../duck/index.ts';
import { LocalTaskRunner } from './local-task-runner.ts';
import type { IngestTask } from './ingest-task.ts';
import type { TaskSettled } from './task-runner.ts';

async function customerFiles(n: number, rows: number): Promise<IngestTask[]> {
  const home = await mkdtemp(join(tmpdir(), 'ltr-home-'));
  const landing = await mkdtemp(join(tmpdir(), 'ltr-landing-'));
  const body = Array.from({ length: rows }, (_, i) => `C${i},Ann,Lee,ann${i}@example.com,2024-01-01`).join('\n');
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const abs = join(landing, `customers-${i}.csv`);
      await writeFile(abs, `customer_id,first_name,last_name,email,signup_date\n${body}\n`);
      return {
        home,
        file: { rel: `customers-${i}.csv`, abs, size: body.length, mtimeMs: 0 },
        entity: 'customers',
        seq: i + 1,
        batchId: 'b',
        ingestedAt: '2024-01-01T00:00:00Z',
      } satisfies IngestTask;
    }),
  );
}

/** Every task through a runner of `concurrency` slots, on a fresh in-memory DuckDB: what it settled, in order. */
async function settleAll(tasks: IngestTask[], concurrency: number): Promise<TaskSettled[]> {
  const db = await DuckSession.open(':memory:');
  try {
    const settled: TaskSettled[] = [];
    await new LocalTaskRunner({
      db,
      concurrency,
      attempts: 1,
      retryDelay: () => 0,
      scratchDir: await mkdtemp(join(tmpdir(), 'ltr-s-')),
    }).run(tasks, async (s) => void settled.push(s));
    return settled;
  } finally {
    await db.close();
  }
}

test('LocalTaskRunner settles every file, one report at a time', async () => {
  const settled = await settleAll(await customerFiles(5, 50), 2);
  assert.deepEqual(settled.map((s) => s.task.seq).sort(), [1, 2, 3, 4, 5]);
  assert.ok(settled.every((s) => s.ok && s.result.outcome.status === 'ingested' && s.result.outcome.rowsOk === 50));
});

test('LocalTaskRunner takes the largest files first (gzip counted inflated), whatever their ledger order', async () => {
  const tasks = await customerFiles(4, 10);
  const sizes = [100, 5_000, 2_000, 900];
  tasks.forEach((t, i) => Object.assign(t.file, { size: sizes[i]!, rel: i === 3 ? 'customers-3.csv.gz' : t.file.rel }));
  const settled = await settleAll(tasks, 1);
  assert.deepEqual(
    settled.map((s) => s.task.seq),
    [4, 2, 3, 1],
    '900 gzipped bytes weigh as 5,400',
  );
});

test('LocalTaskRunner stops at an abort: it throws the reason, reports nothing more and fails no file', async () => {
  const db = await DuckSession.open(':memory:');
  try {
    const tasks = await customerFiles(40, 20_000);
    const settled: TaskSettled[] = [];
    const controller = new AbortController();
    const reason = new Error('task "ingest" did not finish in time');
    const running = new LocalTaskRunner({
      db,
      concurrency: 2,
      attempts: 3,
      retryDelay: () => 0,
      scratchDir: await mkdtemp(join(tmpdir(), 'ltr-s-')),
    }).run(
      tasks,
      async (s) => {
        settled.push(s);
        if (settled.length === 2) controller.abort(reason);
      },
      { signal: controller.signal },
    );
    await assert.rejects(running, (err) => err === reason);
    const after = settled.length;
    assert.ok(after >= 2 && after < tasks.length, `${after} of ${tasks.length} settled`);
    // An interrupted file is left for the next run, never reported as failed (dead-lettered).
    assert.ok(
      settled.every((s) => s.ok),
      JSON.stringify(settled.filter((s) => !s.ok)),
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(settled.length, after, 'no report after the run threw');
  } finally {
    await db.close();
  }
});
