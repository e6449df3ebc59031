import { levelLabel, type ComparisonSettings, type Level } from '../config/comparison-schema.js';
import type { StringColumn } from '../model/columns.js';
import type { ScoringData } from './scoring-data.js';
import { damerauLevenshtein, jaroWinkler, jaroWinklerAcross, levenshtein, Scratch } from './string-similarity.js';
import { NO_DATE, sharedCount, type ValueFeatures } from './value-features.js';

/**
 * A comparison sorts a pair into ordered levels; the first level that applies wins:
 * level 0 when either value is missing, 1 when the values are equal, then the levels the
 * settings list, and a last level for everything else.
 */
export const NULL_LEVEL = 0;
export const EXACT_LEVEL = 1;

export interface ComparisonLevels {
  label: string;
  attribute: string;
  /** Level labels, index = level. */
  levels: string[];
}

export function describeLevels(spec: ComparisonSettings): ComparisonLevels {
  return { label: spec.label, attribute: spec.attribute, levels: ['missing', 'exact', ...spec.levels.map(levelLabel), 'else'] };
}

/** Returns the level of records i and j on one comparison. */
export type LevelFunction = (i: number, j: number) => number;

/** Whether a level applies to values a and b (of records i and j), already known to differ. */
type LevelTest = (a: number, b: number, i: number, j: number) => boolean;

/** Attributes a comparison reads: its own, and those its "reversed" levels swap with. */
export function comparisonAttributes(spec: ComparisonSettings): string[] {
  const out = [spec.attribute];
  for (const level of spec.levels) if (level.kind === 'reversed' && !out.includes(level.other)) out.push(level.other);
  return out;
}

export function compileComparison(data: Pick<ScoringData, 'columns' | 'comparisons' | 'features'>, k: number, scratch = new Scratch()): LevelFunction {
  const spec = data.comparisons[k]!;
  const column = data.columns[spec.attribute]!;
  const ids = column.ids;
  let longest = column.maxLength;
  for (const attribute of comparisonAttributes(spec)) longest = Math.max(longest, data.columns[attribute]!.maxLength);
  scratch.ensure(longest + 1);
  // Levels often repeat one measure at several thresholds; compute it once per pair.
  const memo = new Memo();
  const tests = spec.levels.map((level) => compileLevel(level, column, data.features[k]!, data.columns, scratch, memo));
  const elseLevel = spec.levels.length + 2;
  const count = tests.length;
  return (i, j) => {
    const a = ids[i]!;
    const b = ids[j]!;
    if (a < 0 || b < 0) return NULL_LEVEL;
    if (a === b) return EXACT_LEVEL;
    memo.reset();
    for (let t = 0; t < count; t++) if (tests[t]!(a, b, i, j)) return 2 + t;
    return elseLevel;
  };
}

class Memo {
  jaroWinkler = NaN;
  /** An edit distance and the cap it was computed under: above the cap it only says "more". */
  levenshtein = -1;
  levenshteinCap = -1;
  damerau = -1;
  damerauCap = -1;
  reset(): void {
    this.jaroWinkler = NaN;
    this.levenshtein = -1;
    this.damerau = -1;
  }
}

/** Whether a capped distance answers "≤ max" without recomputing. */
function known(distance: number, cap: number, max: number): boolean {
  return distance >= 0 && (distance <= cap || cap >= max);
}

function compileLevel(
  level: Level,
  column: StringColumn,
  f: ValueFeatures,
  columns: Record<string, StringColumn>,
  scratch: Scratch,
  memo: Memo,
): LevelTest {
  const { codes, offsets } = column;
  switch (level.kind) {
    case 'jaroWinkler': {
      const t = level.threshold;
      return (a, b) => {
        if (Number.isNaN(memo.jaroWinkler)) memo.jaroWinkler = jaroWinkler(codes, offsets[a]!, offsets[a + 1]!, offsets[b]!, offsets[b + 1]!, scratch);
        return memo.jaroWinkler >= t;
      };
    }
    case 'levenshtein': {
      const max = level.max;
      return (a, b) => {
        if (!known(memo.levenshtein, memo.levenshteinCap, max)) {
          memo.levenshtein = levenshtein(codes, offsets[a]!, offsets[a + 1]!, offsets[b]!, offsets[b + 1]!, max, scratch);
          memo.levenshteinCap = max;
        }
        return memo.levenshtein <= max;
      };
    }
    case 'damerauLevenshtein': {
      const max = level.max;
      return (a, b) => {
        if (!known(memo.damerau, memo.damerauCap, max)) {
          memo.damerau = damerauLevenshtein(codes, offsets[a]!, offsets[a + 1]!, offsets[b]!, offsets[b + 1]!, max, scratch);
          memo.damerauCap = max;
        }
        return memo.damerau <= max;
      };
    }
    case 'nickname': {
      const go = f.groupOffsets!;
      const gi = f.groupIds!;
      return (a, b) => sharedCount(gi, go[a]!, go[a + 1]!, go[b]!, go[b + 1]!) > 0;
    }
    case 'metaphone': {
      const m = f.metaphone!;
      return (a, b) => {
        const ap = m[2 * a]!;
        const as = m[2 * a + 1]!;
        const bp = m[2 * b]!;
        const bs = m[2 * b + 1]!;
        return (ap >= 0 && (ap === bp || ap === bs)) || (as >= 0 && (as === bp || as === bs));
      };
    }
    case 'dayMonthSwapped': {
      const ymd = f.ymd!;
      return (a, b) => {
        const x = ymd[a]!;
        const y = ymd[b]!;
        if (x === NO_DATE || y === NO_DATE) return false;
        const xd = x % 100;
        const xm = Math.floor(x / 100) % 100;
        const yd = y % 100;
        const ym = Math.floor(y / 100) % 100;
        return Math.floor(x / 10_000) === Math.floor(y / 10_000) && xd === ym && xm === yd;
      };
    }
    case 'withinDays': {
      const days = f.days!;
      const limit = level.days;
      return (a, b) => days[a] !== NO_DATE && days[b] !== NO_DATE && Math.abs(days[a]! - days[b]!) <= limit;
    }
    case 'within': {
      const numbers = f.numbers!;
      const limit = level.distance;
      return (a, b) => Math.abs(numbers[a]! - numbers[b]!) <= limit;
    }
    case 'sharedTokens': {
      const to = f.tokenOffsets!;
      const ti = f.tokenIds!;
      const min = level.min;
      return (a, b) => sharedCount(ti, to[a]!, to[a + 1]!, to[b]!, to[b + 1]!) >= min;
    }
    case 'jaccard': {
      const to = f.tokenOffsets!;
      const ti = f.tokenIds!;
      const t = level.threshold;
      return (a, b) => {
        const na = to[a + 1]! - to[a]!;
        const nb = to[b + 1]! - to[b]!;
        const common = sharedCount(ti, to[a]!, to[a + 1]!, to[b]!, to[b + 1]!);
        const union = na + nb - common;
        return union > 0 && common / union >= t;
      };
    }
    case 'reversed': {
      // This attribute of one record against the other attribute of the other, both ways:
      // given and family names entered in each other's field.
      const other = columns[level.other]!;
      const t = level.threshold;
      return (a, b, i, j) => {
        const oi = other.ids[i]!;
        const oj = other.ids[j]!;
        if (oi < 0 || oj < 0) return false;
        return crossSimilarity(column, a, other, oj, scratch) >= t && crossSimilarity(other, oi, column, b, scratch) >= t;
      };
    }
  }
}

/** Jaro-Winkler between value a of one column and value b of another, without building strings. */
function crossSimilarity(ca: StringColumn, a: number, cb: StringColumn, b: number, scratch: Scratch): number {
  return jaroWinklerAcross(ca.codes, ca.offsets[a]!, ca.offsets[a + 1]!, cb.codes, cb.offsets[b]!, cb.offsets[b + 1]!, scratch);
}

/**
 * Comparison vectors packed into one number: level_k × radix_k summed over comparisons.
 * Levels are small, so patterns stay exact in a double for any allowed number of comparisons.
 */
export interface PatternCodec {
  radices: Float64Array;
  levelCounts: Int32Array;
}

export function patternCodec(levelCounts: ReadonlyArray<number>): PatternCodec {
  const radices = new Float64Array(levelCounts.length);
  let r = 1;
  for (let k = 0; k < levelCounts.length; k++) {
    radices[k] = r;
    r *= levelCounts[k]!;
  }
  return { radices, levelCounts: Int32Array.from(levelCounts) };
}

export function decodePattern(codec: PatternCodec, pattern: number, out = new Int32Array(codec.levelCounts.length)): Int32Array {
  let rest = pattern;
  for (let k = 0; k < codec.levelCounts.length; k++) {
    const n = codec.levelCounts[k]!;
    out[k] = rest % n;
    rest = Math.floor(rest / n);
  }
  return out;
}
