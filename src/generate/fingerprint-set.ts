/**
 * A set of strings kept as two 32-bit hashes each in one typed array (open addressing):
 * a million emails in 16 MB instead of a Set of strings. Two different strings may, very
 * rarely, look alike; callers use it only where a false "already there" costs nothing
 * worse than a needless variation.
 */
export class FingerprintSet {
  private readonly slots: Uint32Array;
  private readonly mask: number;
  private count = 0;

  constructor(expected: number) {
    let size = 1024;
    while (size < expected * 2) size *= 2;
    this.slots = new Uint32Array(size * 2);
    this.mask = size - 1;
  }

  /** Adds the value; false when it (or a look-alike) was there already. */
  add(value: string): boolean {
    const h1 = hash(value, 0x811c9dc5);
    const h2 = (hash(value, 0x2545f491) | 1) >>> 0;
    if (this.count >= this.mask) throw new Error('fingerprint set is full');
    let slot = h1 & this.mask;
    for (;;) {
      const at = slot * 2;
      if (this.slots[at + 1] === 0) {
        this.slots[at] = h1;
        this.slots[at + 1] = h2;
        this.count++;
        return true;
      }
      if (this.slots[at] === h1 && this.slots[at + 1] === h2) return false;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** FNV-1a over UTF-16 code units, with a murmur finaliser. */
function hash(value: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
