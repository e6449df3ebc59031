/**
 * Numbers distinct strings 0, 1, 2, … in order of first sight: the dictionary behind column
 * encoding and blocking, which number a million values per attribute and per rule.
 *
 * Open addressing over typed arrays, with the strings' FNV-1a hashes kept beside their
 * slots. A `Map<string, number>` did the same work 1.7x slower on a million blocking keys
 * (905 ms against 536 ms): it grows by rehashing ordered tables of boxed entries, and each
 * fresh string from the database pays for its hash there all the same.
 *
 * The strings themselves are kept as UTF-16 code units back to back, the layout of an
 * encoded column, not as strings: a million-record load kept ten million strings alive
 * otherwise, and collecting garbage among them took a third of the load.
 */
export class StringIds {
  private codes = new Uint16Array(1 << 16);
  private codeLength = 0;
  /** Value v spans codes[offsets[v]] .. codes[offsets[v + 1]]. */
  private offsets = new Uint32Array(1024);
  private count = 0;
  /** Per slot, an id (-1: empty) and beside it that string's hash: one cache line for both. */
  private slots = new Int32Array(2048).fill(-1);
  private mask = 1023;

  get size(): number {
    return this.count;
  }

  /** The string's id, a new one when it was not seen before. */
  id(value: string): number {
    return this.idOf(value, 0, value.length);
  }

  /** The id of text.slice(start, end), without making that string unless it is new. */
  idOf(text: string, start: number, end: number): number {
    let h = 0x811c9dc5 | 0; // int32, as the slots keep it: the empty string hashes to this very value
    for (let k = start; k < end; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = slots[2 * slot]!;
      if (id < 0) return this.add(text, start, end, slot, h);
      if (slots[2 * slot + 1] === h && this.holds(id, text, start, end)) return id;
    }
  }

  /**
   * text.slice(start, end) as a new id, without looking it up or making it findable: for
   * values that are nearly all distinct (source ids), where hashing them bought nothing.
   */
  appended(text: string, start: number, end: number): number {
    const id = this.count;
    if (id + 2 > this.offsets.length) this.offsets = resized(this.offsets, this.offsets.length * 2);
    if (this.codeLength + end - start > this.codes.length) {
      this.codes = resized(this.codes, Math.max(this.codes.length * 2, this.codeLength + end - start));
    }
    const codes = this.codes;
    let at = this.codeLength;
    for (let k = start; k < end; k++) codes[at++] = text.charCodeAt(k);
    this.codeLength = at;
    this.offsets[id + 1] = at;
    this.count = id + 1;
    return id;
  }

  /** The string numbered id. */
  value(id: number): string {
    return stringAt(this.codes, this.offsets, id);
  }

  /** All strings' code units and where each starts (views: copy them to keep them past the next id). */
  codeUnits(): { codes: Uint16Array; offsets: Uint32Array } {
    return { codes: this.codes.subarray(0, this.codeLength), offsets: this.offsets.subarray(0, this.count + 1) };
  }

  private holds(id: number, text: string, start: number, end: number): boolean {
    const at = this.offsets[id]!;
    if (this.offsets[id + 1]! - at !== end - start) return false;
    const codes = this.codes;
    for (let k = start; k < end; k++) if (codes[at + k - start] !== text.charCodeAt(k)) return false;
    return true;
  }

  private add(text: string, start: number, end: number, slot: number, hash: number): number {
    const id = this.appended(text, start, end);
    this.slots[2 * slot] = id;
    this.slots[2 * slot + 1] = hash;
    if (id * 2 >= this.mask) this.grow();
    return id;
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const slots = new Int32Array(2 * capacity).fill(-1);
    const mask = capacity - 1;
    for (let old = 0; old <= this.mask; old++) {
      const id = this.slots[2 * old]!;
      if (id < 0) continue;
      const h = this.slots[2 * old + 1]!;
      let slot = h & mask;
      while (slots[2 * slot]! >= 0) slot = (slot + 1) & mask;
      slots[2 * slot] = id;
      slots[2 * slot + 1] = h;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** String id of code units laid out as a dictionary keeps them (value v spans codes[offsets[v]] .. codes[offsets[v + 1]]). */
export function stringAt(codes: Uint16Array, offsets: Uint32Array, id: number): string {
  const start = offsets[id]!;
  const end = offsets[id + 1]!;
  if (end - start <= SHORT) {
    // Code units copied into a reused array and passed as arguments: a subarray spread into
    // the call took 384 ns a short value, this 64-72 ns (`node` micro-benchmark, 1M values of 5-24 units).
    scratch.length = end - start;
    for (let k = start; k < end; k++) scratch[k - start] = codes[k]!;
    return String.fromCharCode.apply(null, scratch);
  }
  let out = '';
  // In slices: spreading a very long value into one call would overflow the stack.
  for (let k = start; k < end; k += 4096) out += String.fromCharCode(...codes.subarray(k, Math.min(end, k + 4096)));
  return out;
}

const SHORT = 256;
const scratch: number[] = [];

/**
 * `target`, holding `length` ids, with `ids` appended after them, each through `remap` (-1,
 * missing, stays -1): how a dictionary takes the records another one numbered. Resized when full.
 */
export function appendRemapped<T extends Int32Array>(target: T, length: number, ids: Int32Array, remap: Int32Array): T {
  const out = length + ids.length > target.length ? resized(target, Math.max(target.length * 2, length + ids.length)) : target;
  for (let i = 0; i < ids.length; i++) out[length + i] = ids[i]! < 0 ? -1 : remap[ids[i]!]!;
  return out;
}

/** A typed array of the given length holding the same values at the start. */
export function resized<T extends Int32Array | Uint16Array | Uint32Array | Uint8Array>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}
