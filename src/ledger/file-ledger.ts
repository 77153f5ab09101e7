import { relative } from 'node:path';
import type { LakeLayout } from '../lake/index.ts';
import type { StateDb } from '../state/index.ts';
import { entityOfPath } from '../contract/index.ts';
import type { LandingFile, LedgerEntry } from './ledger-entry.ts';
import { highestSeq } from './bronze-files.ts';
import { IS_STREAM_DELIVERY } from './stream-delivery-path.ts';

interface LedgerRow {
  path: string;
  content_hash: string;
  size: number;
  mtime_ms: number;
}

/**
 * The record of every landing file shoplake has seen: by path (to skip unchanged files
 * without reading them) and by content hash (to skip byte-identical re-deliveries).
 * Lake paths are stored relative to the home, so a home can be named any way or moved.
 */
export class FileLedger {
  private byPath = new Map<string, LedgerRow>();
  private hashes = new Set<string>();
  private nextSeq = 1;

  private constructor(
    private readonly db: StateDb,
    private readonly layout: LakeLayout,
  ) {}

  /**
   * The ledger of the landing files, for deciding what to ingest. Stream deliveries (paths
   * `stream/…`, one a second while a collector runs) are left out: nothing here asks about
   * them, and loading them would make every look at the landing zone slower by the day.
   */
  static async load(db: StateDb, layout: LakeLayout): Promise<FileLedger> {
    const ledger = await FileLedger.forAppend(db, layout);
    const rows = await db.all<LedgerRow>(
      `SELECT path, content_hash, size, mtime_ms FROM ingested_files WHERE NOT ${IS_STREAM_DELIVERY} ORDER BY seq`,
    );
    for (const r of rows) {
      ledger.byPath.set(r.path, r);
      ledger.hashes.add(r.content_hash);
    }
    return ledger;
  }

  /** A ledger to append to (a stream delivery): the next free number, nothing loaded. */
  static async forAppend(db: StateDb, layout: LakeLayout): Promise<FileLedger> {
    const ledger = new FileLedger(db, layout);
    ledger.nextSeq = (await highestSeq(db)) + 1;
    return ledger;
  }

  /** The path was recorded before, whatever its bytes (asked of the store, not of what was loaded). */
  async isRecorded(rel: string): Promise<boolean> {
    return Number(await this.db.scalar('SELECT count(*) FROM ingested_files WHERE path = $rel', { rel })) > 0;
  }

  /** Same path, size and modification time as a file already handled. */
  isUnchanged(f: LandingFile): boolean {
    const r = this.byPath.get(f.rel);
    return !!r && Number(r.size) === f.size && Number(r.mtime_ms) === f.mtimeMs;
  }

  /** The path was handled before with these very bytes (only its mtime moved). */
  sameBytesAtPath(f: LandingFile, hash: string): boolean {
    return this.byPath.get(f.rel)?.content_hash === hash;
  }

  hasContent(hash: string): boolean {
    return this.hashes.has(hash);
  }

  /** The first sequence number no recorded file has. */
  get firstFreeSeq(): number {
    return this.nextSeq;
  }

  /** Every bronze and rejects file the ledger points at, as paths under the home. */
  async referencedFiles(): Promise<Set<string>> {
    const rows = await this.db.all<{ p: string }>(
      `SELECT bronze_path AS p FROM ingested_files WHERE bronze_path IS NOT NULL
       UNION ALL SELECT rejects_path FROM ingested_files WHERE rejects_path IS NOT NULL`,
    );
    return new Set(rows.map((r) => this.layout.resolve(r.p)));
  }

  async touch(f: LandingFile): Promise<void> {
    await this.db.run('UPDATE ingested_files SET mtime_ms = $m WHERE path = $p', { m: f.mtimeMs, p: f.rel });
    const r = this.byPath.get(f.rel);
    if (r) r.mtime_ms = f.mtimeMs;
  }

  /** A byte-identical re-delivery: recorded under its own sequence number, nothing written to the lake. */
  async recordDuplicate(
    file: LandingFile,
    seq: number,
    hash: string,
    batchId: string,
    at: string,
  ): Promise<LedgerEntry & { status: 'duplicate'; detail: string }> {
    const dup = {
      file,
      seq,
      hash,
      entity: entityOfPath(file.rel),
      status: 'duplicate' as const,
      detail: 'byte-identical to a file already ingested',
    };
    await this.record(dup, batchId, at);
    return dup;
  }

  async record(o: LedgerEntry, batchId: string, at: string): Promise<void> {
    await this.db.run(
      `INSERT INTO ingested_files
         VALUES ($seq, $path, $hash, $size, $mtime, $entity, $status, $reason, $detail, $format,
         $compression, $delimiter, $rows_ok, $rows_rejected,
         $bronze, $rejects, $schema_version, $batch, $at::TIMESTAMP)`,
      {
        seq: o.seq,
        path: o.file.rel,
        hash: o.hash,
        size: o.file.size,
        mtime: o.file.mtimeMs,
        entity: o.entity ?? null,
        status: o.status,
        reason: o.reason ?? null,
        detail: o.detail ?? null,
        format: o.format ?? null,
        compression: o.compression ?? null,
        delimiter: o.delimiter ?? null,
        rows_ok: o.rowsOk ?? 0,
        rows_rejected: o.rowsRejected ?? 0,
        bronze: o.bronzePath ? relative(this.layout.home, o.bronzePath) : null,
        rejects: o.rejectsPath ? relative(this.layout.home, o.rejectsPath) : null,
        schema_version: o.schemaVersion ?? null,
        batch: batchId,
        at,
      },
    );
    this.byPath.set(o.file.rel, {
      path: o.file.rel,
      content_hash: o.hash,
      size: o.file.size,
      mtime_ms: o.file.mtimeMs,
    });
    this.hashes.add(o.hash);
    this.nextSeq = Math.max(this.nextSeq, o.seq + 1);
  }
}
