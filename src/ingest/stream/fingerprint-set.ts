/**
 * (0, 0) marks an empty slot: that fingerprint is kept as (0, 1), the same in add and has, so a lookup never misses it.
 */
const EMPTY_STANDIN = 1;
/**
 * Past this share of slots taken the table doubles: a miss (the usual
 * lookup) then probes a few slots on average, side by side in memory.
 */
const MAX_LOAD = 0.7;
/** Slots of the old table moved into the new one per add while it doubles. */
const MOVE_PER_ADD = 16;

/** One open-addressing table (linear probing) of fingerprints, two words a slot. */
class Table {
  readonly slots: Uint32Array;
  readonly mask: number;
  size = 0;

  constructor(slotCount: number) {
    this.slots = new Uint32Array(slotCount * 2);
    this.mask = slotCount - 1;
  }

  get full(): boolean {
    return this.size + 1 > (this.mask + 1) * MAX_LOAD;
  }

  has(hi: number, lo: number): boolean {
    const s = this.slots;
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const a = s[2 * i]!;
      const b = s[2 * i + 1]!;
      if (a === 0 && b === 0) return false;
      if (a === hi && b === lo) return true;
    }
  }

  /** Adds a fingerprint; false when it was there. */
  put(hi: number, lo: number): boolean {
    const s = this.slots;
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const a = s[2 * i]!;
      const b = s[2 * i + 1]!;
      if (a === hi && b === lo) return false;
      if (a === 0 && b === 0) {
        s[2 * i] = hi;
        s[2 * i + 1] = lo;
        this.size++;
        return true;
      }
    }
  }
}

/**
 * A set of 64-bit fingerprints, each given as two unsigned 32-bit words (as DuckDB's
 * UINTEGER arrives), in a typed array with open addressing: 8 bytes a slot, no object per
 * entry, so tens of millions fit where a JavaScript Set (16.7 M entries at most, and an
 * object each) could not. Fingerprints are taken from a cryptographic hash, so their low
 * word is uniform and serves as the slot index as it is.
 *
 * At 70% full the table doubles, and the old one is moved into the new a few slots per
 * add, both searched meanwhile: rehashing it at once stopped the event loop for long once
 * the table held millions. A delivery's adds take a little longer only around a doubling
 * (the new table's first page faults).
 */
export class FingerprintSet {
  private table: Table;
  /** The table being moved into `table`, and the next of its slots to move. */
  private old: Table | undefined;
  private moved = 0;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots * MAX_LOAD < capacity) slots *= 2;
    this.table = new Table(slots);
  }

  get size(): number {
    return this.table.size + (this.old ? this.old.size : 0);
  }

  /** Bytes the tables hold. */
  get bytes(): number {
    return this.table.slots.byteLength + (this.old?.slots.byteLength ?? 0);
  }

  has(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = EMPTY_STANDIN;
    return this.table.has(hi, lo) || (this.old !== undefined && this.old.has(hi, lo));
  }

  add(hi: number, lo: number): void {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = EMPTY_STANDIN;
    if (this.old) this.move();
    else if (this.table.full) {
      this.old = this.table;
      this.moved = 0;
      this.table = new Table((this.old.mask + 1) * 2);
      this.move();
    }
    if (this.old?.has(hi, lo)) return;
    this.table.put(hi, lo);
  }

  /** Adds the fingerprints (hi[i], lo[i]) of two word arrays of one length. */
  addAll(hi: Uint32Array, lo: Uint32Array): void {
    for (let i = 0; i < hi.length; i++) this.add(hi[i]!, lo[i]!);
  }

  /** Moves the next slots of the old table; drops it once all are moved. */
  private move(): void {
    const old = this.old!;
    const s = old.slots;
    const end = Math.min(old.mask + 1, this.moved + MOVE_PER_ADD);
    for (let i = this.moved; i < end; i++) {
      const a = s[2 * i]!;
      const b = s[2 * i + 1]!;
      if (a === 0 && b === 0) continue;
      // A moved slot is not emptied: the gap would end the probe of a fingerprint placed
      // past it. The old table's size counts what is not moved yet.
      this.table.put(a, b);
      old.size--;
    }
    this.moved = end;
    if (end === old.mask + 1) this.old = undefined;
  }
}
