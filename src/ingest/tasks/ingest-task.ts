import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityName } from '../../contract/index.ts';
import type { DuckSession } from '../../duck/index.ts';
import { LakeLayout } from '../../lake/index.ts';
import { ingestFile } from '../ingest-file.ts';
import { type FileOutcome } from '../file-outcome.ts';
import { type LandingFile } from '../../ledger/index.ts';
import { readLandingFile } from '../read-landing-file.ts';

/** One landing file to take to bronze, as the run that owns the ledger hands it out (to this process or a worker). */
export interface IngestTask {
  /** The shoplake home whose lake the bronze file goes to (the same path on every worker). */
  home: string;
  file: LandingFile;
  entity: EntityName | undefined;
  /** The ledger sequence number the run reserved for the file: it names the bronze file. */
  seq: number;
  batchId: string;
  ingestedAt: string;
}

/**
 * What a task found: the content hash of the bytes it read, and
 * the file's outcome with its columns, catalog left to the run.
 */
export interface IngestTaskResult {
  hash: string;
  outcome: FileOutcome;
}

/**
 * One task, wherever it runs: the file read (hashed, inflated into a scratch folder of the
 * runner's), parsed on the given DuckDB connection and written to bronze or quarantine. The bronze
 * file is named by sequence and hash and written aside then renamed, so a task retried
 * after its worker died writes the same file again, never a second one.
 */
export async function runIngestTask(
  task: IngestTask,
  db: DuckSession,
  scratchDir = join(tmpdir(), `shoplake-worker-${process.pid}`),
): Promise<IngestTaskResult> {
  const bytes = await readLandingFile(task.file.abs, scratchDir);
  try {
    const outcome = await ingestFile(
      { db, layout: new LakeLayout(task.home), batchId: task.batchId, ingestedAt: task.ingestedAt },
      task.file,
      bytes,
      task.entity,
      task.seq,
    );
    return { hash: bytes.hash, outcome };
  } finally {
    await bytes.dispose();
  }
}
