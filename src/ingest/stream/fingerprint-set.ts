/**
 * A set of 64-bit fingerprints, each given as two 32-bit words, in one typed array with
 * open addressing (linear probing) that doubles at 70% full: 8 bytes a slot, no object
 * per entry, so tens of millions fit where a JavaScript Set (16.7 M entries at most, and
 * an object each) could not. Fingerprints are taken from a cryptographic hash, so their
 * low word is uniform and serves as the slot index as it is. Words are unsigned 32-bit
 * integers (as DuckDB's UINTEGER arrives).
 */
/** (0, 0) marks an empty slot: that fingerprint is kept as (0, 1), the same in add and has, so a lookup never misses it. */
const EMPTY_STANDIN = 1;
/** Past this share of slots taken the table doubles: a miss (the usual lookup) then probes a few slots on average, side by side in memory. */
const MAX_LOAD = 0.7;

export class FingerprintSet {
  private slots: Uint32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots * MAX_LOAD < capacity) slots *= 2;
    this.slots = new Uint32Array(slots * 2);
    this.mask = slots - 1;
  }

  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = EMPTY_STANDIN;
    const s = this.slots;
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const a = s[2 * i]!;
      const b = s[2 * i + 1]!;
      if (a === 0 && b === 0) return false;
      if (a === hi && b === lo) return true;
    }
  }

  add(hi: number, lo: number): void {
    if (hi === 0 && lo === 0) lo = EMPTY_STANDIN;
    if (this.size + 1 > (this.mask + 1) * MAX_LOAD) this.grow();
    if (this.put(this.slots, this.mask, hi, lo)) this.size++;
  }

  /** Bytes the table holds. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  private put(s: Uint32Array, mask: number, hi: number, lo: number): boolean {
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const a = s[2 * i]!;
      const b = s[2 * i + 1]!;
      if (a === hi && b === lo) return false;
      if (a === 0 && b === 0) {
        s[2 * i] = hi;
        s[2 * i + 1] = lo;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    const mask = this.mask * 2 + 1;
    const slots = new Uint32Array((mask + 1) * 2);
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 || old[i + 1] !== 0) this.put(slots, mask, old[i]!, old[i + 1]!);
    }
    this.slots = slots;
    this.mask = mask;
  }
}
