import type { Shard } from '../block/plan-blocks.js';
import { compileComparison, describeLevels, EXACT_LEVEL, patternCodec, type LevelFunction } from './comparison.js';
import { allowedPair, type ScoringData } from './scoring-data.js';
import { seededRandom } from '../model/random.js';
import { Scratch } from './string-similarity.js';

/**
 * Calls `visit` for every pair of records sharing a block of a shard that the link type
 * allows, saying whether it is a candidate pair: one that no earlier blocking rule already
 * produced (a pair blocked by several rules is a candidate once). Returns the candidates.
 */
export function forEachBlockedPair(data: ScoringData, shard: Shard, visit: (i: number, j: number, rule: number, candidate: boolean) => void): number {
  const { members, blockStarts, blockRules } = shard;
  const { ruleKeys, ruleCount, source, linkType, changed } = data;
  let pairs = 0;
  for (let b = 0; b + 1 < blockStarts.length; b++) {
    const start = blockStarts[b]!;
    const end = blockStarts[b + 1]!;
    const rule = blockRules[b]!;
    for (let x = start; x < end; x++) {
      const i = members[x]!;
      const si = source[i]!;
      const ki = i * ruleCount;
      for (let y = x + 1; y < end; y++) {
        const j = members[y]!;
        if (!allowedPair(linkType, si, source[j]!)) continue;
        if (changed && changed[i] === 0 && changed[j] === 0) continue;
        let seen = false;
        const kj = j * ruleCount;
        for (let r = 0; r < rule; r++) {
          const key = ruleKeys[ki + r]!;
          if (key >= 0 && key === ruleKeys[kj + r]) {
            seen = true;
            break;
          }
        }
        if (!seen) pairs++;
        visit(i, j, rule, !seen);
      }
    }
  }
  return pairs;
}

/** Calls `visit` once for every candidate pair of a shard. */
export function forEachCandidatePair(data: ScoringData, shard: Shard, visit: (i: number, j: number) => void): number {
  return forEachBlockedPair(data, shard, (i, j, _rule, candidate) => {
    if (candidate) visit(i, j);
  });
}

function compileAll(data: ScoringData): LevelFunction[] {
  const scratch = new Scratch();
  return data.comparisons.map((_, k) => compileComparison(data, k, scratch));
}

export interface PatternHistogram {
  patterns: Float64Array;
  counts: Float64Array;
  pairs: number;
}

/**
 * Counts how many pairs fall on each comparison vector; training works on these counts.
 * Keys are `pattern × slots + slot`: slot 0 counts candidate pairs (each pair once), slot
 * r + 1 every pair that blocking rule r puts together, for training sessions by rule.
 */
export function patternHistogram(data: ScoringData, shard: Shard): PatternHistogram {
  const levelFns = compileAll(data);
  const { radices } = patternCodec(data.comparisons.map((c) => describeLevels(c).levels.length));
  const slots = data.ruleCount + 1;
  const counts = new Map<number, number>();
  const k = levelFns.length;
  const add = (key: number) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const pairs = forEachBlockedPair(data, shard, (i, j, rule, candidate) => {
    let pattern = 0;
    for (let c = 0; c < k; c++) pattern += levelFns[c]!(i, j) * radices[c]!;
    add(pattern * slots + rule + 1);
    if (candidate) add(pattern * slots);
  });
  return histogramFromMap(counts, pairs);
}

/** One slot of a combined histogram (0: candidate pairs; r + 1: pairs of blocking rule r). */
export function histogramSlot(h: PatternHistogram, slots: number, slot: number): PatternHistogram {
  const patterns: number[] = [];
  const counts: number[] = [];
  let pairs = 0;
  for (let p = 0; p < h.patterns.length; p++) {
    const key = h.patterns[p]!;
    if (key % slots !== slot) continue;
    patterns.push((key - slot) / slots);
    counts.push(h.counts[p]!);
    pairs += h.counts[p]!;
  }
  return { patterns: Float64Array.from(patterns), counts: Float64Array.from(counts), pairs };
}

export function histogramFromMap(counts: Map<number, number>, pairs: number): PatternHistogram {
  const patterns = new Float64Array(counts.size);
  const values = new Float64Array(counts.size);
  let p = 0;
  for (const [pattern, count] of counts) {
    patterns[p] = pattern;
    values[p++] = count;
  }
  return { patterns, counts: values, pairs };
}

export function mergeHistograms(parts: ReadonlyArray<PatternHistogram>): PatternHistogram {
  const counts = new Map<number, number>();
  let pairs = 0;
  for (const part of parts) {
    pairs += part.pairs;
    for (let p = 0; p < part.patterns.length; p++) {
      counts.set(part.patterns[p]!, (counts.get(part.patterns[p]!) ?? 0) + part.counts[p]!);
    }
  }
  // Sorted so that training sees the same order whatever order the shards finished in.
  const sorted = new Map([...counts.entries()].sort((a, b) => a[0] - b[0]));
  return histogramFromMap(sorted, pairs);
}

export interface ScoredPairs {
  left: Uint32Array;
  right: Uint32Array;
  weight: Float32Array;
  /** Candidate pairs compared, including those below the threshold. */
  pairs: number;
}

/**
 * Match weights of a model in the form the hot path reads: per comparison the weight of
 * each level, and for comparisons with term-frequency adjustment, log2 m of the exact
 * level (the exact weight then becomes log2 m − log2 of the value's share of records).
 */
export interface ScoreWeights {
  levels: Float64Array[];
  exactLog2M: Float64Array;
  prior: number;
  /** Pairs below this weight are dropped. */
  min: number;
}

/** Scores every candidate pair of a shard and keeps those whose match weight reaches `weights.min`. */
export function scoreShard(data: ScoringData, shard: Shard, weights: ScoreWeights): ScoredPairs {
  const levelFns = compileAll(data);
  const k = levelFns.length;
  const tf = data.features.map((f) => f.tfLog2 ?? null);
  const columnIds = data.comparisons.map((c) => data.columns[c.attribute]!.ids);
  const { levels: levelWeights, exactLog2M, prior, min } = weights;
  let capacity = 1024;
  let left: Uint32Array<ArrayBuffer> = new Uint32Array(capacity);
  let right: Uint32Array<ArrayBuffer> = new Uint32Array(capacity);
  let weight = new Float32Array(capacity);
  let kept = 0;
  const pairs = forEachCandidatePair(data, shard, (i, j) => {
    let w = prior;
    for (let c = 0; c < k; c++) {
      const level = levelFns[c]!(i, j);
      const t = tf[c];
      w += level === EXACT_LEVEL && t ? exactLog2M[c]! - t[columnIds[c]![i]!]! : levelWeights[c]![level]!;
    }
    if (w < min) return;
    if (kept === capacity) {
      capacity *= 2;
      left = grow(left, capacity);
      right = grow(right, capacity);
      const wider = new Float32Array(capacity);
      wider.set(weight);
      weight = wider;
    }
    left[kept] = i;
    right[kept] = j;
    weight[kept++] = w;
  });
  return { left: left.slice(0, kept), right: right.slice(0, kept), weight: weight.slice(0, kept), pairs };
}

function grow(a: Uint32Array, capacity: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(capacity);
  b.set(a);
  return b;
}

/**
 * Level counts over random record pairs, the basis of u-probabilities: among pairs drawn
 * at random almost none match, so how often they agree is how often non-matches agree.
 * Pairs are drawn as positions in `order` (samplingOrder), not as record indices, which
 * follow the order the records were loaded in.
 */
export function sampleLevelCounts(data: ScoringData, samples: number, seed: number, order: Int32Array): Float64Array[] {
  const levelFns = compileAll(data);
  const counts = data.comparisons.map((c) => new Float64Array(describeLevels(c).levels.length));
  const random = seededRandom(seed);
  const n = data.size;
  if (n < 2) return counts;
  let drawn = 0;
  let attempts = 0;
  const maxAttempts = samples * 50;
  while (drawn < samples && attempts < maxAttempts) {
    attempts++;
    const i = order[Math.floor(random() * n)]!;
    const j = order[Math.floor(random() * n)]!;
    if (i === j || !allowedPair(data.linkType, data.source[i]!, data.source[j]!)) continue;
    drawn++;
    for (let c = 0; c < levelFns.length; c++) counts[c]![levelFns[c]!(i, j)]!++;
  }
  return counts;
}
