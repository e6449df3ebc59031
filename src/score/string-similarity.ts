/**
 * String comparators over code-unit ranges of one Uint16Array, so that comparing two
 * dictionary values allocates nothing. Scratch space is owned by the caller and reused.
 */
export class Scratch {
  flagsA = new Uint8Array(64);
  flagsB = new Uint8Array(64);
  row0 = new Int32Array(65);
  row1 = new Int32Array(65);
  row2 = new Int32Array(65);

  ensure(length: number): void {
    if (this.flagsA.length >= length) return;
    const size = Math.max(length, this.flagsA.length * 2);
    this.flagsA = new Uint8Array(size);
    this.flagsB = new Uint8Array(size);
    this.row0 = new Int32Array(size + 1);
    this.row1 = new Int32Array(size + 1);
    this.row2 = new Int32Array(size + 1);
  }
}

export function jaro(c: Uint16Array, as: number, ae: number, bs: number, be: number, scratch: Scratch): number {
  return jaroAcross(c, as, ae, c, bs, be, scratch);
}

/** Jaro similarity of a range of one array against a range of another (values of two columns). */
export function jaroAcross(c: Uint16Array, as: number, ae: number, d: Uint16Array, bs: number, be: number, scratch: Scratch): number {
  const la = ae - as;
  const lb = be - bs;
  if (la === 0 || lb === 0) return la === lb ? 1 : 0;
  scratch.ensure(Math.max(la, lb));
  const fa = scratch.flagsA;
  const fb = scratch.flagsB;
  fa.fill(0, 0, la);
  fb.fill(0, 0, lb);
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = i > window ? i - window : 0;
    const hi = Math.min(lb - 1, i + window);
    const ch = c[as + i];
    for (let j = lo; j <= hi; j++) {
      if (fb[j] === 0 && d[bs + j] === ch) {
        fa[i] = 1;
        fb[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let k = 0;
  let halfTranspositions = 0;
  for (let i = 0; i < la; i++) {
    if (fa[i] === 0) continue;
    while (fb[k] === 0) k++;
    if (c[as + i] !== d[bs + k]) halfTranspositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - halfTranspositions / 2) / m) / 3;
}

/** Jaro–Winkler with the usual prefix scale 0.1 over at most 4 characters, boosting only above 0.7. */
export function jaroWinkler(c: Uint16Array, as: number, ae: number, bs: number, be: number, scratch: Scratch): number {
  return jaroWinklerAcross(c, as, ae, c, bs, be, scratch);
}

export function jaroWinklerAcross(c: Uint16Array, as: number, ae: number, d: Uint16Array, bs: number, be: number, scratch: Scratch): number {
  const j = jaroAcross(c, as, ae, d, bs, be, scratch);
  if (j <= 0.7) return j;
  const limit = Math.min(4, ae - as, be - bs);
  let prefix = 0;
  while (prefix < limit && c[as + prefix] === d[bs + prefix]) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/** Edit distance, giving up (returning max + 1) once it must exceed `max`. */
export function levenshtein(c: Uint16Array, as: number, ae: number, bs: number, be: number, max: number, scratch: Scratch): number {
  let la = ae - as;
  let lb = be - bs;
  if (Math.abs(la - lb) > max) return max + 1;
  // Common prefix and suffix do not change the distance.
  while (la > 0 && lb > 0 && c[as] === c[bs]) { as++; bs++; la--; lb--; }
  while (la > 0 && lb > 0 && c[as + la - 1] === c[bs + lb - 1]) { la--; lb--; }
  if (la === 0) return lb;
  if (lb === 0) return la;
  scratch.ensure(lb + 1);
  let prev = scratch.row0;
  let cur = scratch.row1;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ch = c[as + i - 1];
    for (let j = 1; j <= lb; j++) {
      const cost = ch === c[bs + j - 1] ? 0 : 1;
      let v = prev[j - 1]! + cost;
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      if (del < v) v = del;
      if (ins < v) v = ins;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  const d = prev[lb]!;
  return d > max ? max + 1 : d;
}

/** Optimal-string-alignment distance: Levenshtein where swapping two neighbours costs 1. */
export function damerauLevenshtein(c: Uint16Array, as: number, ae: number, bs: number, be: number, max: number, scratch: Scratch): number {
  let la = ae - as;
  let lb = be - bs;
  if (Math.abs(la - lb) > max) return max + 1;
  while (la > 0 && lb > 0 && c[as] === c[bs]) { as++; bs++; la--; lb--; }
  while (la > 0 && lb > 0 && c[as + la - 1] === c[bs + lb - 1]) { la--; lb--; }
  if (la === 0) return lb;
  if (lb === 0) return la;
  scratch.ensure(lb + 1);
  let before = scratch.row2;
  let prev = scratch.row0;
  let cur = scratch.row1;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ch = c[as + i - 1]!;
    for (let j = 1; j <= lb; j++) {
      const other = c[bs + j - 1]!;
      const cost = ch === other ? 0 : 1;
      let v = prev[j - 1]! + cost;
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      if (del < v) v = del;
      if (ins < v) v = ins;
      if (i > 1 && j > 1 && ch === c[bs + j - 2] && c[as + i - 2] === other) {
        const swap = before[j - 2]! + 1;
        if (swap < v) v = swap;
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = before;
    before = prev;
    prev = cur;
    cur = t;
  }
  const d = prev[lb]!;
  return d > max ? max + 1 : d;
}

/** Convenience for tests and explanations: compares two JS strings. */
export function onStrings<T>(a: string, b: string, fn: (c: Uint16Array, as: number, ae: number, bs: number, be: number) => T): T {
  const c = new Uint16Array(a.length + b.length);
  for (let i = 0; i < a.length; i++) c[i] = a.charCodeAt(i);
  for (let i = 0; i < b.length; i++) c[a.length + i] = b.charCodeAt(i);
  return fn(c, 0, a.length, a.length, a.length + b.length);
}
