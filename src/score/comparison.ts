import type { ComparisonSettings } from '../config/settings-schema.js';
import type { StringColumn } from '../model/columns.js';
import { damerauLevenshtein, jaroWinkler, levenshtein, Scratch } from './string-similarity.js';

/**
 * A comparison sorts a pair into ordered levels; the first level that applies wins:
 * level 0 when either value is missing, 1 when the values are equal, then one level per
 * fuzzy threshold, and a last level for everything else.
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
  const levels = ['missing', 'exact'];
  if (spec.method === 'jaroWinkler') for (const t of spec.thresholds) levels.push(`jaro-winkler ≥ ${t}`);
  if (spec.method === 'levenshtein' || spec.method === 'damerauLevenshtein') {
    const name = spec.method === 'levenshtein' ? 'levenshtein' : 'damerau-levenshtein';
    for (const t of spec.thresholds) levels.push(`${name} ≤ ${t}`);
  }
  levels.push('else');
  return { label: spec.label ?? spec.attribute, attribute: spec.attribute, levels };
}

/** Returns the level of records i and j on one comparison. */
export type LevelFunction = (i: number, j: number) => number;

export function compileComparison(spec: ComparisonSettings, column: StringColumn, scratch = new Scratch()): LevelFunction {
  const { ids, codes, offsets } = column;
  scratch.ensure(column.maxLength + 1);
  const elseLevel = describeLevels(spec).levels.length - 1;
  switch (spec.method) {
    case 'exact':
      return (i, j) => {
        const a = ids[i]!;
        const b = ids[j]!;
        if (a < 0 || b < 0) return NULL_LEVEL;
        return a === b ? EXACT_LEVEL : elseLevel;
      };
    case 'jaroWinkler': {
      const thresholds = Float64Array.from(spec.thresholds);
      return (i, j) => {
        const a = ids[i]!;
        const b = ids[j]!;
        if (a < 0 || b < 0) return NULL_LEVEL;
        if (a === b) return EXACT_LEVEL;
        const sim = jaroWinkler(codes, offsets[a]!, offsets[a + 1]!, offsets[b]!, offsets[b + 1]!, scratch);
        for (let k = 0; k < thresholds.length; k++) if (sim >= thresholds[k]!) return 2 + k;
        return elseLevel;
      };
    }
    case 'levenshtein':
    case 'damerauLevenshtein': {
      const thresholds = Int32Array.from(spec.thresholds);
      const max = thresholds[thresholds.length - 1]!;
      const distance = spec.method === 'levenshtein' ? levenshtein : damerauLevenshtein;
      return (i, j) => {
        const a = ids[i]!;
        const b = ids[j]!;
        if (a < 0 || b < 0) return NULL_LEVEL;
        if (a === b) return EXACT_LEVEL;
        const d = distance(codes, offsets[a]!, offsets[a + 1]!, offsets[b]!, offsets[b + 1]!, max, scratch);
        for (let k = 0; k < thresholds.length; k++) if (d <= thresholds[k]!) return 2 + k;
        return elseLevel;
      };
    }
  }
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
