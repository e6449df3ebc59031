import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/model/random.js';
import { damerauLevenshtein, jaro, jaroWinkler, levenshtein, onStrings, Scratch } from '../../src/score/string-similarity.js';

const scratch = new Scratch();
const jw = (a: string, b: string) => onStrings(a, b, (c, as, ae, bs, be) => jaroWinkler(c, as, ae, bs, be, scratch));
const j = (a: string, b: string) => onStrings(a, b, (c, as, ae, bs, be) => jaro(c, as, ae, bs, be, scratch));
const lev = (a: string, b: string, max: number) => onStrings(a, b, (c, as, ae, bs, be) => levenshtein(c, as, ae, bs, be, max, scratch));
const osa = (a: string, b: string, max: number) => onStrings(a, b, (c, as, ae, bs, be) => damerauLevenshtein(c, as, ae, bs, be, max, scratch));

/** Full-matrix Levenshtein, no shortcuts. */
function naiveLevenshtein(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([]);
    for (let k = 0; k <= b.length; k++) {
      if (i === 0 || k === 0) d[i]![k] = i + k;
      else d[i]![k] = Math.min(d[i - 1]![k]! + 1, d[i]![k - 1]! + 1, d[i - 1]![k - 1]! + (a[i - 1] === b[k - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

/** Full-matrix optimal string alignment: Levenshtein plus adjacent transpositions, no substring edited twice. */
function naiveOsa(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([]);
    for (let k = 0; k <= b.length; k++) {
      if (i === 0 || k === 0) {
        d[i]![k] = i + k;
        continue;
      }
      let v = Math.min(d[i - 1]![k]! + 1, d[i]![k - 1]! + 1, d[i - 1]![k - 1]! + (a[i - 1] === b[k - 1] ? 0 : 1));
      if (i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) v = Math.min(v, d[i - 2]![k - 2]! + 1);
      d[i]![k] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Random pairs of short strings over a small alphabet, so that they share letters often. */
function randomPairs(seed: number, count: number, maxLength: number, alphabet: string): Array<[string, string]> {
  const random = seededRandom(seed);
  const word = () => {
    const n = Math.floor(random() * (maxLength + 1));
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * alphabet.length)];
    return s;
  };
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < count; i++) {
    const a = word();
    // Half the time, a light edit of the first string, to hit small distances.
    if (random() < 0.5 && a.length > 1) {
      const chars = a.split('');
      const p = Math.floor(random() * (chars.length - 1));
      [chars[p], chars[p + 1]] = [chars[p + 1]!, chars[p]!];
      if (random() < 0.5) chars.splice(Math.floor(random() * chars.length), 1);
      pairs.push([a, chars.join('')]);
    } else {
      pairs.push([a, word()]);
    }
  }
  return pairs;
}

describe('jaroWinkler', () => {
  it.each([
    ['MARTHA', 'MARHTA', 0.961],
    ['DWAYNE', 'DUANE', 0.84],
    ['DIXON', 'DICKSONX', 0.813],
  ])('%s / %s ≈ %d', (a, b, expected) => {
    expect(jw(a, b)).toBeCloseTo(expected, 3);
    expect(jw(b, a)).toBeCloseTo(expected, 3);
  });

  it.each([
    ['MARTHA', 'MARHTA', 0.944],
    ['DWAYNE', 'DUANE', 0.822],
    ['DIXON', 'DICKSONX', 0.767],
  ])('plain jaro %s / %s ≈ %d', (a, b, expected) => {
    expect(j(a, b)).toBeCloseTo(expected, 3);
  });

  it.each(['a', 'MARTHA', 'jean-luc picard'])('identical strings %j → 1', (s) => {
    expect(jw(s, s)).toBe(1);
  });

  it.each([
    ['', '', 1],
    ['a', '', 0],
    ['', 'abc', 0],
    ['abc', 'xyz', 0],
  ])('%j / %j → %d', (a, b, expected) => {
    expect(jw(a, b)).toBe(expected);
  });

  it('adds nothing without a common prefix', () => {
    expect(j('CRATE', 'TRACE')).toBeGreaterThan(0.7);
    expect(jw('CRATE', 'TRACE')).toBe(j('CRATE', 'TRACE'));
  });

  it('gives no prefix boost at or below 0.7', () => {
    // Jaro 0.5 with a two-letter common prefix: a boost would add 0.1.
    const a = 'ABCDEFGH';
    const b = 'ABWXYZQR';
    expect(j(a, b)).toBeLessThanOrEqual(0.7);
    expect(jw(a, b)).toBe(j(a, b));
  });

  it('boosts at most four prefix characters', () => {
    const a = 'ABCDEFGHIJ';
    const b = 'ABCDEFGHIX';
    const base = j(a, b);
    expect(jw(a, b)).toBeCloseTo(base + 4 * 0.1 * (1 - base), 12);
  });

  it('stays within [0, 1] and symmetric over random pairs', () => {
    for (const [a, b] of randomPairs(3, 300, 12, 'abcde')) {
      const v = jw(a, b);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      expect(jw(b, a)).toBeCloseTo(v, 12);
    }
  });
});

describe.each([
  { name: 'levenshtein', distance: levenshtein, reference: naiveLevenshtein },
  { name: 'damerauLevenshtein', distance: damerauLevenshtein, reference: naiveOsa },
])('$name', ({ distance, reference }) => {
  const fn = (a: string, b: string, max: number, s = scratch) =>
    onStrings(a, b, (c, as, ae, bs, be) => distance(c, as, ae, bs, be, max, s));

  it('matches the full-matrix reference on random short strings', () => {
    for (const [a, b] of randomPairs(11, 400, 10, 'abcd')) {
      expect({ a, b, d: fn(a, b, 1000) }).toEqual({ a, b, d: reference(a, b) });
    }
  });

  it('matches the reference on longer strings that outgrow the scratch space', () => {
    const fresh = new Scratch();
    for (const [a, b] of randomPairs(12, 40, 150, 'ab')) {
      expect({ a, b, d: fn(a, b, 1000, fresh) }).toEqual({ a, b, d: reference(a, b) });
    }
  });

  it('returns min(d, max + 1) when bounded', () => {
    const random = seededRandom(99);
    for (const [a, b] of randomPairs(13, 400, 10, 'abc')) {
      const max = Math.floor(random() * 5);
      const d = reference(a, b);
      expect({ a, b, max, d: fn(a, b, max) }).toEqual({ a, b, max, d: Math.min(d, max + 1) });
    }
  });

  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abcd', 4],
    ['same', 'same', 0],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
  ])('%j / %j → %d', (a, b, expected) => {
    expect(fn(a, b, 100)).toBe(expected);
    expect(fn(b, a, 100)).toBe(expected);
  });
});

describe('transpositions', () => {
  it.each([
    ['MARTHA', 'MARHTA', 2, 1],
    ['ab', 'ba', 2, 1],
    ['1980-03-12', '1980-03-21', 2, 1],
    ['abcdef', 'badcfe', 4, 3],
    // OSA edits no substring twice: "ca" → "abc" is 3, not the unrestricted Damerau 2.
    ['ca', 'abc', 3, 3],
  ])('%j / %j: levenshtein %d, damerau %d', (a, b, levenshteinDistance, osaDistance) => {
    expect(lev(a, b, 100)).toBe(levenshteinDistance);
    expect(osa(a, b, 100)).toBe(osaDistance);
  });
});
