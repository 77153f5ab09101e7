import { createHash, type Hash } from 'node:crypto';
import { open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SNIFF_BYTES } from '../sniff-format.ts';

/**
 * What the process that wrote a segment knows of it: every line is a JSON object, and
 * these are their keys in order of first appearance (line by line, then within the line);
 * its sha256, size and first bytes, taken as it was written. A delivery that has it need
 * not read the segment for its keys nor hash it (a whole pass over the file on the event
 * loop, which the collector's acknowledgements wait behind). A segment recovered after a
 * crash, or one a write failed on (it may hold part of a line), has none.
 */
export interface SegmentShape {
  keys: string[];
  sha256: string;
  bytes: number;
  head: Buffer;
}

/**
 * One group write, in seconds: how long its oldest append waited in the queue (for the
 * group before it, a seal, or a new segment's open), its write, and its fdatasync.
 */
export interface GroupTiming {
  queued: number;
  write: number;
  sync: number;
}

/** A segment's shape while it is written. */
class Written {
  readonly keys = new Set<string>();
  private readonly hash: Hash = createHash('sha256');
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private bytes = 0;

  add(data: Buffer, keys: Iterable<Iterable<string>>): void {
    this.hash.update(data);
    this.bytes += data.length;
    if (this.headBytes < SNIFF_BYTES) {
      const part = Buffer.from(data.subarray(0, SNIFF_BYTES - this.headBytes));
      this.head.push(part);
      this.headBytes += part.length;
    }
    for (const k of keys) for (const key of k) this.keys.add(key);
  }

  seal(): SegmentShape {
    return { keys: [...this.keys], sha256: this.hash.digest('hex'), bytes: this.bytes, head: Buffer.concat(this.head) };
  }
}

/**
 * A durable append-only log of one stream's records (NDJSON), in segment files: appends
 * are written and fsynced before they resolve, so a record acknowledged to a client
 * survives a crash. Appends that arrive together share one write and one fsync (group
 * commit). `seal` closes the open segment for delivery; sealed segments are removed once
 * delivered. After a crash, an open segment is sealed on start and delivered like any other.
 */
export class StreamLog {
  private fh: FileHandle | undefined;
  private current: string | undefined;
  private currentBytes = 0;
  private queue: Array<{ data: Buffer; keys: Iterable<string>; at: number; done: (err?: unknown) => void }> = [];
  /** The open segment's shape while it is written; undefined once a write failed. */
  private written: Written | undefined;
  /** Shapes of the sealed segments this process wrote whole, by path. */
  private readonly shapes = new Map<string, SegmentShape>();
  /** The write loop while it runs; settles when the queue is empty. */
  private writing: Promise<void> | undefined;
  /**
   * File operations (a write loop, a seal, a close) run one after another: a seal never closes the file under a write.
   */
  private ops: Promise<void> = Promise.resolve();
  private counter = 0;
  /** Bytes appended and not yet delivered (open and sealed segments). */
  pendingBytes = 0;

  /** `onGroup`: each group write's timing (what every acknowledgement in it waited for). */
  constructor(
    readonly dir: string,
    private readonly onGroup?: (timing: GroupTiming) => void,
  ) {}

  /** Seals what a previous process left open and counts what waits for delivery. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const name of await readdir(this.dir)) {
      if (name.endsWith('.open')) await rename(join(this.dir, name), join(this.dir, name.replace(/\.open$/, '')));
    }
    for (const seg of await this.sealed()) this.pendingBytes += (await stat(seg)).size;
  }

  /**
   * Appends NDJSON lines (each one JSON object, no newline inside) whose keys, in order of
   * first appearance, are `keys`; resolves once they are on disk.
   */
  append(lines: readonly string[], keys: Iterable<string>): Promise<void> {
    // Each line written into one buffer: a line with its newline, then all of them joined,
    // were two strings an append, a large share of the collector's allocation.
    let size = lines.length;
    for (const line of lines) size += Buffer.byteLength(line);
    const data = Buffer.allocUnsafe(size);
    let at = 0;
    for (const line of lines) {
      at += data.write(line, at);
      data[at++] = 0x0a;
    }
    this.pendingBytes += data.length;
    return new Promise((resolve, reject) => {
      this.queue.push({ data, keys, at: performance.now(), done: (err) => (err ? reject(err) : resolve()) });
      void this.drain();
    });
  }

  get openBytes(): number {
    return this.currentBytes;
  }

  /** Closes the open segment (when it holds anything) so it can be delivered. */
  seal(): Promise<void> {
    return this.serially(async () => {
      if (!this.fh || !this.current) return;
      await this.fh.close();
      const sealed = this.current.replace(/\.open$/, '');
      await rename(this.current, sealed);
      if (this.written) this.shapes.set(sealed, this.written.seal());
      this.written = undefined;
      this.fh = undefined;
      this.current = undefined;
      this.currentBytes = 0;
    });
  }

  /** Sealed segments, oldest first. */
  async sealed(): Promise<string[]> {
    return (await readdir(this.dir).catch(() => [] as string[]))
      .filter((n) => n.endsWith('.ndjson'))
      .sort()
      .map((n) => join(this.dir, n));
  }

  /** The shape of a sealed segment this process wrote whole; undefined for any other. */
  shapeOf(segment: string): SegmentShape | undefined {
    return this.shapes.get(segment);
  }

  async remove(segment: string, bytes: number): Promise<void> {
    await rm(segment, { force: true });
    this.shapes.delete(segment);
    this.pendingBytes = Math.max(0, this.pendingBytes - bytes);
  }

  async close(): Promise<void> {
    while (this.writing) await this.writing;
    await this.serially(async () => {
      await this.fh?.close();
      this.fh = undefined;
    });
  }

  private serially(op: () => Promise<void>): Promise<void> {
    const run = this.ops.then(op);
    this.ops = run.catch(() => undefined);
    return run;
  }

  private drain(): Promise<void> {
    this.writing ??= this.serially(() => this.writeQueued()).finally(() => {
      this.writing = undefined;
      // An append queued after the loop's last look must still be written.
      if (this.queue.length) void this.drain();
    });
    return this.writing;
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0);
      try {
        if (!this.fh) {
          // Names sort in creation order: time, then a counter within the millisecond.
          this.current = join(
            this.dir,
            `seg-${Date.now().toString().padStart(14, '0')}-${String(++this.counter).padStart(6, '0')}.ndjson.open`,
          );
          this.fh = await open(this.current, 'a');
          this.written = new Written();
        }
        const writing = performance.now();
        const data = Buffer.concat(batch.map((b) => b.data));
        await this.fh.write(data);
        const syncing = performance.now();
        await this.fh.datasync();
        this.onGroup?.({
          queued: (writing - batch[0]!.at) / 1000,
          write: (syncing - writing) / 1000,
          sync: (performance.now() - syncing) / 1000,
        });
        this.currentBytes += data.length;
        this.written?.add(
          data,
          batch.map((b) => b.keys),
        );
        for (const b of batch) b.done();
      } catch (err) {
        // The file may now hold part of the batch: its lines are no longer known.
        this.written = undefined;
        for (const b of batch) {
          this.pendingBytes -= b.data.length;
          b.done(err);
        }
      }
    }
  }
}
