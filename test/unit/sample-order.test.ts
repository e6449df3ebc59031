import { describe, expect, it } from 'vitest';
import { buildColumns, decode } from '../../src/model/columns.js';
import { seededRandom } from '../../src/model/random.js';
import { samplingOrder, sortByKey } from '../../src/score/sample-order.js';
import { shuffled } from '../helpers/shuffled.js';

type Rec = { source: string; attrs: Record<string, string | null> };
const ATTRIBUTES = ['lastName', 'firstName', 'city'];

/** Records with many exact duplicates, missing values, and values that differ only in order. */
function records(count: number, seed: number): Rec[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: count }, () => ({
    source: pick(['crm', 'billing', 'shop']),
    attrs: {
      lastName: pick(['smith', 'smyth', 'ab', 'ba', null, 'ñúñez', '']),
      firstName: pick(['ann', 'anne', 'jo', null]),
      city: pick(['leeds', 'york', null]),
    },
  }));
}

/** What each position of the sampling order holds: source and values, as the sample sees them. */
function contentsInOrder(recs: Rec[]): string[] {
  const columns = buildColumns(recs, ATTRIBUTES);
  const order = samplingOrder(columns, columns.sources);
  return Array.from(order, (i) => [
    columns.sources[columns.source[i]!],
    ...ATTRIBUTES.map((a) => {
      const id = columns.columns[a]!.ids[i]!;
      return id < 0 ? '-' : decode(columns.columns[a]!, id);
    }),
  ].join('|'));
}

describe('samplingOrder', () => {
  it('is a permutation of the records, on shared memory for the sampling threads', () => {
    const columns = buildColumns(records(5_000, 1), ATTRIBUTES);
    const order = samplingOrder(columns, columns.sources);
    expect(order.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(order.length).toBe(5_000);
    expect(new Set(order).size).toBe(5_000);
    expect(Math.min(...order)).toBe(0);
    expect(Math.max(...order)).toBe(4_999);
  });

  it('puts the same contents at every position whatever order the records were loaded in', () => {
    const recs = records(5_000, 2);
    const expected = contentsInOrder(recs);
    // Sources first seen in another order get other indices: the names are hashed, not the indices.
    for (const seed of [3, 4, 5]) expect(contentsInOrder(shuffled(recs, seededRandom(seed)))).toEqual(expected);
    // Neither the load order nor the contents sorted: a hash's order.
    const columns = buildColumns(recs, ATTRIBUTES);
    expect(Array.from(samplingOrder(columns, columns.sources))).not.toEqual(Array.from({ length: recs.length }, (_, i) => i));
    expect(expected).not.toEqual([...expected].sort());
  });

  it('tells apart values that hold the same characters in another order, and a missing value from an empty column', () => {
    const a = { source: 's', attrs: { lastName: 'ab', firstName: null, city: null } };
    const b = { source: 's', attrs: { lastName: 'ba', firstName: null, city: null } };
    const c = { source: 's', attrs: { lastName: null, firstName: 'ab', city: null } };
    const columns = buildColumns([a, b, c, a], ATTRIBUTES);
    const order = Array.from(samplingOrder(columns, columns.sources));
    // The two copies of `a` tie and sit side by side, the lower index first.
    const at0 = order.indexOf(0);
    expect(order[at0 + 1]).toBe(3);
    expect(new Set(order).size).toBe(4);
  });
});

describe('sortByKey', () => {
  it('orders by the high word, then the low word, as unsigned words, then the index, as a comparison sort does', () => {
    const random = seededRandom(9);
    const n = 20_000;
    // Few distinct words, so that ties on one word or on both are common, and words above 2^31.
    const words = Array.from({ length: 40 }, () => Math.floor(random() * 2 ** 32));
    const hi = Int32Array.from({ length: n }, () => words[Math.floor(random() * 40)]!);
    const lo = Int32Array.from({ length: n }, () => words[Math.floor(random() * 40)]!);
    const unsigned = (a: Int32Array, i: number) => a[i]! >>> 0;
    const expected = Array.from({ length: n }, (_, i) => i)
      .sort((x, y) => unsigned(hi, x) - unsigned(hi, y) || unsigned(lo, x) - unsigned(lo, y) || x - y);
    expect(Array.from(sortByKey(hi, lo))).toEqual(expected);
  });
});
