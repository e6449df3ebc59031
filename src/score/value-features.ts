import { doubleMetaphone } from 'double-metaphone';
import type { ComparisonSettings } from '../config/comparison-schema.js';
import { columnValues, shared, type StringColumn } from '../model/columns.js';
import { canonicalForms, type NicknameTable } from '../standardize/nicknames.js';

/**
 * What a comparison's levels need to know about each distinct value, worked out once per
 * value before scoring, so comparing two records is integer work: a nickname's canonical
 * names, sound codes, a date's day number, a value's tokens, how common a value is.
 * Everything sits on shared memory and reaches worker threads without a copy.
 */
export interface ValueFeatures {
  /** Canonical given names of value v: groupIds[groupOffsets[v]] .. groupIds[groupOffsets[v + 1]], sorted. */
  groupOffsets?: Uint32Array;
  groupIds?: Int32Array;
  /** Primary and alternate double-metaphone codes of value v at 2v and 2v + 1 (-1 when none). */
  metaphone?: Int32Array;
  /** Days since 1970-01-01, and yyyymmdd; NO_DATE when the value is not a date. */
  days?: Int32Array;
  ymd?: Int32Array;
  /** The value as a number; NaN when it is not one. */
  numbers?: Float64Array;
  /** Distinct whitespace-separated tokens of value v, as sorted token ids. */
  tokenOffsets?: Uint32Array;
  tokenIds?: Int32Array;
  /** log2 of the share of records holding value v, for term-frequency adjustment of exact agreement. */
  tfLog2?: Float64Array;
}

export const NO_DATE = -0x80000000;

/**
 * How common each value is in the whole population, when the records at hand are only part
 * of it (an incremental run scores the blocks of changed records): `counts[v]` records hold
 * value v, of `total` records with a value.
 */
export interface PopulationCounts {
  counts: ArrayLike<number>;
  total: number;
}

export function buildValueFeatures(
  spec: ComparisonSettings,
  column: StringColumn,
  nicknames: () => NicknameTable,
  population?: PopulationCounts,
): ValueFeatures {
  const kinds = new Set(spec.levels.map((l) => l.kind));
  const n = column.counts.length;
  // Decoded only when a level needs the values: an email column holds a million of them.
  let decoded: string[] | undefined;
  const values = () => (decoded ??= columnValues(column));
  const out: ValueFeatures = {};
  if (kinds.has('nickname')) Object.assign(out, nicknameGroups(values(), nicknames()));
  if (kinds.has('metaphone')) out.metaphone = metaphoneCodes(values());
  if (kinds.has('withinDays') || kinds.has('dayMonthSwapped')) Object.assign(out, dates(values()));
  if (kinds.has('within')) {
    out.numbers = shared(Float64Array, n);
    values().forEach((s, v) => {
      const x = s.trim() === '' ? NaN : Number(s);
      out.numbers![v] = Number.isFinite(x) ? x : NaN;
    });
  }
  if (kinds.has('sharedTokens') || kinds.has('jaccard')) {
    const { offsets, ids } = interned(values().map((s) => [...new Set(s.split(' ').filter((t) => t !== ''))]));
    out.tokenOffsets = offsets;
    out.tokenIds = ids;
  }
  if (spec.termFrequency) {
    const counts = population?.counts ?? column.counts;
    let total = population?.total ?? 0;
    if (!population) for (let v = 0; v < n; v++) total += counts[v]!;
    out.tfLog2 = shared(Float64Array, n);
    for (let v = 0; v < n; v++) out.tfLog2[v] = Math.log2(Math.max(1, counts[v]!) / Math.max(1, total));
  }
  return out;
}

function nicknameGroups(values: string[], table: NicknameTable): Pick<ValueFeatures, 'groupOffsets' | 'groupIds'> {
  const { offsets, ids } = interned(values.map((s) => canonicalForms(table, s)));
  return { groupOffsets: offsets, groupIds: ids };
}

function metaphoneCodes(values: string[]): Int32Array {
  const codes = new Map<string, number>();
  const id = (code: string) => {
    if (code === '') return -1;
    let c = codes.get(code);
    if (c === undefined) codes.set(code, (c = codes.size));
    return c;
  };
  const out = shared(Int32Array, values.length * 2);
  values.forEach((s, v) => {
    const [primary, alternate] = doubleMetaphone(s);
    out[2 * v] = id(primary);
    out[2 * v + 1] = alternate === primary ? -1 : id(alternate);
  });
  return out;
}

function dates(values: string[]): Pick<ValueFeatures, 'days' | 'ymd'> {
  const days = shared(Int32Array, values.length);
  const ymd = shared(Int32Array, values.length);
  values.forEach((s, v) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
    if (!m) {
      days[v] = NO_DATE;
      ymd[v] = NO_DATE;
      return;
    }
    days[v] = Math.round(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) / 86_400_000);
    ymd[v] = +m[1]! * 10_000 + +m[2]! * 100 + +m[3]!;
  });
  return { days, ymd };
}

/** Lists of strings per value as sorted integer ids in one flat array with offsets. */
function interned(lists: string[][]): { offsets: Uint32Array; ids: Int32Array } {
  const dictionary = new Map<string, number>();
  let total = 0;
  for (const list of lists) total += list.length;
  const offsets = shared(Uint32Array, lists.length + 1);
  const ids = shared(Int32Array, total);
  let pos = 0;
  lists.forEach((list, v) => {
    offsets[v] = pos;
    const start = pos;
    for (const item of list) {
      let id = dictionary.get(item);
      if (id === undefined) dictionary.set(item, (id = dictionary.size));
      ids[pos++] = id;
    }
    ids.subarray(start, pos).sort();
  });
  offsets[lists.length] = pos;
  return { offsets, ids };
}

/** How many ids two sorted runs share. */
export function sharedCount(ids: Int32Array, a0: number, a1: number, b0: number, b1: number): number {
  let shared = 0;
  while (a0 < a1 && b0 < b1) {
    const x = ids[a0]!;
    const y = ids[b0]!;
    if (x === y) {
      shared++;
      a0++;
      b0++;
    } else if (x < y) a0++;
    else b0++;
  }
  return shared;
}
