import { rm } from 'node:fs/promises';
import type { StateDb } from '../../state/index.ts';
import type { ProgressSink } from '../../common/index.ts';
import type { DeadLetterQueue } from '../dead-letter-queue.ts';
import { entityOfPath } from '../../contract/index.ts';
import type { FileLedger } from '../../ledger/index.ts';
import type { FileOutcome } from '../file-outcome.ts';
import type { LandingFile } from '../../ledger/index.ts';
import type { FileResult } from '../file-outcome.ts';
import { catalogued } from '../catalogued.ts';
import type { TaskRunner, TaskSettled } from './task-runner.ts';
import type { IngestTask } from './ingest-task.ts';

export interface IngestTasksOptions {
  runner: TaskRunner;
  state: StateDb;
  ledger: FileLedger;
  dlq: DeadLetterQueue;
  home: string;
  batchId: string;
  progress?: ProgressSink | undefined;
  files: readonly LandingFile[];
  hadLetter: (rel: string) => boolean;
  idleMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The landing files of a run, each a task for the runner (in this process, or workers):
 * each file gets its ledger sequence number up front, and results are recorded as they
 * come, in sequence order, so the ledger, the catalog's schema versions and the duplicate
 * checks come out the same however the tasks ran. What a task wrote for a file that turns
 * out to repeat content already recorded is removed again.
 */
export async function ingestTasks(opts: IngestTasksOptions): Promise<FileResult[]> {
  const { ledger, state, batchId } = opts;
  const ingestedAt = new Date().toISOString();
  const first = ledger.firstFreeSeq;
  const tasks: IngestTask[] = opts.files.map((file, i) => ({
    home: opts.home,
    file,
    entity: entityOfPath(file.rel),
    seq: first + i,
    batchId,
    ingestedAt,
  }));
  const settled = new Map<number, TaskSettled>();
  const results: FileResult[] = [];
  const started = Date.now();
  let next = 0;
  let rows = 0;
  let bytes = 0;
  const totalBytes = opts.files.reduce((n, f) => n + f.size, 0);

  const record = async (s: TaskSettled): Promise<void> => {
    const { file, seq } = s.task;
    if (!s.ok) {
      const deadLetter = await opts.dlq.add(file, { code: s.code, message: s.error }, s.attempts, batchId);
      results.push({ file, status: 'failed', error: s.error, attempts: s.attempts, deadLetter });
      return;
    }
    const { hash, outcome } = s.result;
    if (ledger.sameBytesAtPath(file, hash)) {
      await discardOutputs(outcome);
      await ledger.touch(file);
    } else if (ledger.hasContent(hash)) {
      await discardOutputs(outcome);
      results.push(await ledger.recordDuplicate(file, seq, hash, batchId, ingestedAt));
    } else {
      const withCatalog = await catalogued(state, outcome);
      await ledger.record(withCatalog, batchId, ingestedAt);
      results.push(withCatalog);
    }
    if (opts.hadLetter(file.rel)) await opts.dlq.resolve(file.rel, batchId);
  };

  await opts.runner.run(
    tasks,
    async (s) => {
      settled.set(s.task.seq, s);
      // Progress counts files as they finish: a runner may take them in any order, while
      // they are recorded in ledger order below.
      bytes += s.task.file.size;
      if (s.ok) rows += s.result.outcome.rowsOk;
      opts.progress?.({
        stage: 'ingest',
        done: settled.size,
        total: tasks.length,
        unit: 'files',
        rows,
        bytes,
        totalBytes,
        elapsedMs: Date.now() - started,
        item: s.task.file.rel,
      });
      for (let t = tasks[next]; t && settled.has(t.seq); t = tasks[next]) {
        await record(settled.get(t.seq)!);
        next++;
      }
    },
    { idleMs: opts.idleMs, signal: opts.signal },
  );
  return results;
}

async function discardOutputs(o: FileOutcome): Promise<void> {
  for (const p of [o.bronzePath, o.rejectsPath]) if (p && !p.includes('*')) await rm(p, { force: true });
}
