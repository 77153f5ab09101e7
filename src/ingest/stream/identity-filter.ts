import type { DuckSession } from '../../duck/index.ts';
import { FingerprintSet } from './fingerprint-set.ts';

/** Identities are held in slices of this many ms of delivery time, each forgotten whole. */
const SLICE_MS = 5 * 60_000;
/** Rows of `stream_ids` read per statement while loading: each page holds the event loop only briefly. */
const LOAD_PAGE = 25_000;

/**
 * The first 64 bits of a 128-bit identity hash column, as two unsigned 32-bit words a row,
 * read into two typed arrays (`uint32Columns`). As a row object each, or as two lists (a
 * heap number per word over 2^31, and the arrays), a delivery's identities were garbage on
 * the event loop the acknowledgements share.
 */
const FINGERPRINTS = (column: string) =>
  `(${column} >> 96)::UINTEGER AS hi, ((${column} >> 64) & 4294967295)::UINTEGER AS lo`;

/** Identities' fingerprints (FINGERPRINTS): the i-th is (hi[i], lo[i]). */
interface Fingerprints {
  hi: Uint32Array;
  lo: Uint32Array;
}

const filters = new WeakMap<DuckSession, IdentityFilter>();

/**
 * What the stream database's `stream_ids` may hold, in memory: the first 64 bits of each
 * identity kept, in slices by delivery time. A delivery asks it first and reads
 * `stream_ids` only when one of its records may be a repeat, so its cost is its own size,
 * not the dedup window's (the anti-join read every identity of the window, and at 20,000
 * events/s a 60-minute window holds 72 M). A match is only
 * a candidate (the exact 128-bit check decides), and a miss is certain, as long as every
 * identity kept passes through `keeping`: the filter belongs to its database session
 * (`IdentityFilter.of`), which deliverSegment alone writes to. 11–23 bytes an identity.
 *
 * Until it has loaded what a previous process kept (in the background, in pages), it
 * answers "maybe" and deliveries check exactly, as they always did.
 */
export class IdentityFilter {
  private readonly slices = new Map<number, FingerprintSet>();
  private loaded = false;
  private loading: Promise<void> | undefined;

  private constructor(private readonly db: DuckSession) {}

  /** The filter of the stream database open in `db`. */
  static of(db: DuckSession): IdentityFilter {
    let filter = filters.get(db);
    if (!filter) filters.set(db, (filter = new IdentityFilter(db)));
    return filter;
  }

  /** Loads the identities kept before, once (again after a failure); resolves when done. */
  load(): Promise<void> {
    this.loading ??= this.loadPages().then(
      () => void (this.loaded = true),
      () => void (this.loading = undefined),
    );
    return this.loading;
  }

  /**
   * Whether a row of `table` (its `_id` column: identity hashes) may have been kept before
   * (`repeats`), and the fingerprints read to tell (none before the filter has loaded).
   */
  async check(table: string): Promise<{ repeats: boolean; read?: Fingerprints }> {
    void this.load();
    if (!this.loaded) return { repeats: true };
    const read = await this.fingerprints(table);
    return { repeats: read.hi.some((hi, i) => this.has(hi, read.lo[i]!)), read };
  }

  /**
   * Notes the identities of `table` (`_id`), about to be kept in `stream_ids` at `at`:
   * before the insert, so a failure between the two leaves only a candidate too many.
   * `read`: fingerprints `check` read of a table that holds them all (a segment's, for its
   * new records): noted instead of reading again; the extra ones were kept before.
   */
  async keeping(table: string, read?: Fingerprints, at = Date.now()): Promise<void> {
    const slice = this.slice(Math.floor(at / SLICE_MS));
    const { hi, lo } = read ?? (await this.fingerprints(table));
    slice.addAll(hi, lo);
  }

  /**
   * Forgets the slices noted a slice or more before `before` (stream_ids forgets the rows
   * themselves). The slice to spare covers the moments between noting an identity and
   * the database stamping it: the filter may hold more than stream_ids, never less.
   */
  forget(before: Date): void {
    for (const index of this.slices.keys()) if ((index + 2) * SLICE_MS <= before.getTime()) this.slices.delete(index);
  }

  /** Identities held, and the bytes their tables take. */
  get stats(): { identities: number; bytes: number } {
    let identities = 0;
    let bytes = 0;
    for (const s of this.slices.values()) {
      identities += s.size;
      bytes += s.bytes;
    }
    return { identities, bytes };
  }

  /** The fingerprints of a table's identity hashes (`_id` of a segment's tables; `h` of stream_ids). */
  private async fingerprints(
    table: string,
    column = '_id',
    where = '',
    params?: Record<string, number>,
  ): Promise<Fingerprints> {
    const [hi, lo] = await this.db.uint32Columns(`SELECT ${FINGERPRINTS(column)} FROM ${table} ${where}`, params);
    return { hi: hi!, lo: lo! };
  }

  private has(hi: number, lo: number): boolean {
    for (const s of this.slices.values()) if (s.has(hi, lo)) return true;
    return false;
  }

  private slice(index: number): FingerprintSet {
    let s = this.slices.get(index);
    if (!s) this.slices.set(index, (s = new FingerprintSet()));
    return s;
  }

  /**
   * Pages by rowid: a range of rowids is read without a scan of the rest. Rows kept while
   * it loads are noted by `keeping`; one read twice is added once. What was kept before is
   * noted as of now, not by its stored time (a TIMESTAMP in DuckDB's time zone): it stays a
   * window longer than its rows do, which costs memory for one window, never a repeat.
   */
  private async loadPages(): Promise<void> {
    const slice = this.slice(Math.floor(Date.now() / SLICE_MS));
    const last = Number((await this.db.scalar<number | string | null>('SELECT max(rowid) FROM stream_ids')) ?? -1);
    for (let from = 0; from <= last; from += LOAD_PAGE) {
      const { hi, lo } = await this.fingerprints('stream_ids', 'h', 'WHERE rowid >= $from AND rowid < $to', {
        from,
        to: from + LOAD_PAGE,
      });
      slice.addAll(hi, lo);
    }
  }
}
