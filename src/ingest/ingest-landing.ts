import type { DuckSession } from '../duck/index.ts';
import { errorMessage, ShoplakeError } from '../errors/index.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { withLedgerLock } from './ledger-lock.ts';
import { STAGED, STAGED_REJECTS } from './formats/format-reader.ts';
import type { LakeLayout } from '../lake/index.ts';
import type { ProgressSink } from '../orchestrate/progress-event.ts';
import { discoverLanding } from './discover-landing.ts';
import { entityOfPath } from './entity-of-path.ts';
import { FileLedger } from './file-ledger.ts';
import { ingestFile, type FileOutcome, type LandingFile } from './ingest-file.ts';
import { readLandingFile, type FileBytes } from './read-landing-file.ts';
import { ingestOnWorkers } from './remote/ingest-on-workers.ts';
import type { IngestQueue } from './remote/ingest-queue.ts';
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export type FileResult =
  | FileOutcome
  | { file: LandingFile; status: 'duplicate'; hash: string; detail: string }
  /** Failed every attempt of this run: now in the dead-letter queue as `deadLetter`. */
  | { file: LandingFile; status: 'failed'; error: string; attempts: number; deadLetter: string }
  /** In the dead-letter queue from an earlier run and unchanged since: left alone until replayed. */
  | { file: LandingFile; status: 'dead_lettered'; deadLetter: string };

export interface IngestSummary {
  discovered: number;
  unchanged: number;
  results: FileResult[];
}

/**
 * Ingests every landing file not seen before, one result per file: a bad file is
 * quarantined and a failing one reported, and neither stops the others.
 */
export async function ingestLanding(opts: {
  landing: string;
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
}): Promise<IngestSummary> {
  // Stream deliveries take ledger sequence numbers too: one at a time.
  return withLedgerLock(opts.db, () => ingestPending(opts));
}

async function ingestPending(opts: Parameters<typeof ingestLanding>[0]): Promise<IngestSummary> {
  const { db, layout, batchId } = opts;
  const attempts = opts.fileAttempts ?? 3;
  const files = await discoverLanding(opts.landing);
  const ledger = await FileLedger.load(db, layout);
  const dlq = new DeadLetterQueue(db);
  const letters = await dlq.open();
  await removeStrayOutputs(layout, await ledger.referencedFiles());
  const pending = files.filter((f) => !ledger.isUnchanged(f));
  if (opts.queue) {
    const dead = (f: LandingFile) => {
      const letter = letters.get(f.rel);
      return !!letter && isDeadAndUnchanged(letter, f);
    };
    const skipped: FileResult[] = pending.filter(dead).map((file) => ({ file, status: 'dead_lettered', deadLetter: letters.get(file.rel)!.id }));
    const done = await ingestOnWorkers({
      queue: opts.queue, db, ledger, dlq, home: layout.home, batchId, progress: opts.progress, files: pending.filter((f) => !dead(f)), hadLetter: (rel) => letters.has(rel), idleMs: opts.idleMs,
    });
    return { discovered: files.length, unchanged: files.length - pending.length, results: [...skipped, ...done] };
  }
  const results: FileResult[] = [];
  const started = Date.now();
  let rows = 0;
  let bytes = 0;
  const totalBytes = pending.reduce((n, f) => n + f.size, 0);

  const scratch = join(layout.tmp, 'ingest');
  // Reading (hash, inflate) the next file overlaps with DuckDB parsing the current one.
  const read = (f: LandingFile | undefined) => (f ? readLandingFile(f.abs, scratch).then((b) => ({ ok: true as const, b }), (err: unknown) => ({ ok: false as const, err })) : undefined);
  let next = read(pending[0]);
  for (const [i, file] of pending.entries()) {
    const ingestedAt = new Date().toISOString();
    let current = await next!;
    next = read(pending[i + 1]);
    const letter = letters.get(file.rel);
    if (letter && isDeadAndUnchanged(letter, file)) {
      if (current.ok) await current.b.dispose();
      results.push({ file, status: 'dead_lettered', deadLetter: letter.id });
      continue;
    }
    const ingestOne = async (content: FileBytes): Promise<void> => {
      if (ledger.sameBytesAtPath(file, content.hash)) {
        await ledger.touch(file);
      } else if (ledger.hasContent(content.hash)) {
        results.push(await ledger.recordDuplicate(file, ledger.firstFreeSeq, content.hash, batchId, ingestedAt));
      } else {
        const outcome = await ingestFile({ db, layout, batchId, ingestedAt }, file, content, entityOfPath(file.rel), ledger.firstFreeSeq);
        await ledger.record(outcome, batchId, ingestedAt);
        rows += outcome.rowsOk;
        results.push(outcome);
      }
    };
    for (let attempt = 1; ; attempt++) {
      try {
        if (!current.ok) throw current.err;
        await ingestOne(current.b);
        if (letter) await dlq.resolve(file.rel, batchId);
        break;
      } catch (err) {
        // Not the file's fault (bad data is quarantined, not thrown): the disk, the mount,
        // the engine. Tried again; after the last attempt, dead-lettered with its error.
        if (attempt >= attempts) {
          const error = { code: err instanceof ShoplakeError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'ingest_error'), message: errorMessage(err) };
          const id = await dlq.add(file, error, attempts, batchId);
          results.push({ file, status: 'failed', error: error.message, attempts, deadLetter: id });
          break;
        }
        await sleep(opts.retryDelay?.(attempt) ?? 0);
        if (current.ok) await current.b.dispose();
        current = await read(file)!;
      }
    }
    if (current.ok) await current.b.dispose();
    bytes += file.size;
    opts.progress?.({ stage: 'ingest', done: i + 1, total: pending.length, unit: 'files', rows, bytes, totalBytes, elapsedMs: Date.now() - started, item: file.rel });
  }
  // The last file's staging tables would otherwise hold memory in the state database for the rest of the run.
  await db.run(`DROP TABLE IF EXISTS ${STAGED}; DROP TABLE IF EXISTS ${STAGED_REJECTS}; DROP TABLE IF EXISTS csv_read; DROP TABLE IF EXISTS js_top`);
  return { discovered: files.length, unchanged: files.length - pending.length, results };
}

/** A dead letter stays dead while its file is the one that failed (same size and mtime). */
export function isDeadAndUnchanged(letter: { status: string; size: number | null; mtimeMs: number | null }, file: LandingFile): boolean {
  return letter.status === 'dead' && letter.size === file.size && letter.mtimeMs === file.mtimeMs;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
