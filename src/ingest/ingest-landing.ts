import type { DuckSession } from '../duck/index.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { withLedgerLock } from '../ledger/index.ts';
import type { LakeLayout } from '../lake/index.ts';
import type { StateDb } from '../state/index.ts';
import type { ProgressSink } from '../common/index.ts';
import { discoverLanding } from './discover-landing.ts';
import { FileLedger } from '../ledger/index.ts';
import type { FileResult } from './file-outcome.ts';
import type { LandingFile } from '../ledger/index.ts';
import { ingestTasks } from './tasks/ingest-tasks.ts';
import { LocalTaskRunner } from './tasks/local-task-runner.ts';
import type { IngestQueue } from './tasks/ingest-queue.ts';
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface IngestSummary {
  discovered: number;
  unchanged: number;
  results: FileResult[];
}

export interface IngestLandingOptions {
  landing: string;
  /** The ledger, catalog and dead letters. */
  state: StateDb;
  /** DuckDB for the files ingested in this process. */
  db: DuckSession;
  layout: LakeLayout;
  batchId: string;
  progress?: ProgressSink;
  /** Attempts per file before it is dead-lettered (default 3). */
  fileAttempts?: number;
  /** Delay before attempt n+1, in ms. */
  retryDelay?: (attempt: number) => number;
  /** Hand the files to `shoplake worker` processes through this queue instead of ingesting them here. */
  queue?: IngestQueue;
  /** With a queue: fail when no worker has taken a task for this long, in ms. */
  idleMs?: number;
  /** Without a queue: files ingested at once in this process (default 2). */
  concurrency?: number;
  /** Stops handing out files (and interrupts the ones in this process); the rest wait for the next run. */
  signal?: AbortSignal;
}

/**
 * Ingests every landing file not seen before, one result per file: a bad file is
 * quarantined and a failing one reported, and neither stops the others.
 */
export async function ingestLanding(opts: IngestLandingOptions): Promise<IngestSummary> {
  // Stream deliveries take ledger sequence numbers too: one at a time.
  return withLedgerLock(opts.state, () => ingestPending(opts));
}

async function ingestPending(opts: Parameters<typeof ingestLanding>[0]): Promise<IngestSummary> {
  const { db, state, layout, batchId } = opts;
  const files = await discoverLanding(opts.landing);
  const ledger = await FileLedger.load(state, layout);
  const dlq = new DeadLetterQueue(state);
  const letters = await dlq.open();
  await removeStrayOutputs(layout, await ledger.referencedFiles());
  const pending = files.filter((f) => !ledger.isUnchanged(f));
  const dead = (f: LandingFile) => {
    const letter = letters.get(f.rel);
    return !!letter && isDeadAndUnchanged(letter, f);
  };
  const skipped: FileResult[] = pending
    .filter(dead)
    .map((file) => ({ file, status: 'dead_lettered', deadLetter: letters.get(file.rel)!.id }));
  const runner =
    opts.queue ??
    new LocalTaskRunner({
      db,
      concurrency: opts.concurrency ?? 2,
      attempts: opts.fileAttempts ?? 3,
      retryDelay: opts.retryDelay ?? (() => 0),
      scratchDir: join(layout.tmp, 'ingest'),
    });
  const done = await ingestTasks({
    runner,
    state,
    ledger,
    dlq,
    home: layout.home,
    batchId,
    progress: opts.progress,
    files: pending.filter((f) => !dead(f)),
    hadLetter: (rel) => letters.has(rel),
    idleMs: opts.idleMs,
    signal: opts.signal,
  });
  return { discovered: files.length, unchanged: files.length - pending.length, results: [...skipped, ...done] };
}

/** A dead letter stays dead while its file is the one that failed (same size and mtime). */
export function isDeadAndUnchanged(
  letter: { status: string; size: number | null; mtimeMs: number | null },
  file: LandingFile,
): boolean {
  return letter.status === 'dead' && letter.size === file.size && letter.mtimeMs === file.mtimeMs;
}

/**
 * Bronze and rejects files no ledger row points at: left by a run killed between
 * writing a file and recording it. The files are rewritten when the landing file is
 * ingested again; removing them keeps the lake to what the ledger knows.
 */
async function removeStrayOutputs(layout: LakeLayout, referenced: Set<string>): Promise<void> {
  const dirs = [layout.bronzeRejectsDir];
  for (const e of await readdir(layout.bronze, { withFileTypes: true }).catch(() => [])) {
    if (e.isDirectory()) dirs.push(join(layout.bronze, e.name));
  }
  for (const dir of dirs) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const path = join(dir, name);
      if (name.endsWith('.parquet') && !referenced.has(resolve(path))) await rm(path, { force: true });
    }
  }
}
