import type { Shard } from '../block/plan-blocks.js';
import { compileComparison, describeLevels, patternCodec, type LevelFunction } from './comparison.js';
import { allowedPair, type ScoringData } from './scoring-data.js';
import { seededRandom } from '../model/random.js';
import { Scratch } from './string-similarity.js';

/**
 * Calls `visit` once for every candidate pair of a shard: each pair of records sharing a
 * block, unless the link type forbids it or an earlier blocking rule already produced it.
 */
export function forEachCandidatePair(data: ScoringData, shard: Shard, visit: (i: number, j: number) => void): number {
  const { members, blockStarts, blockRules } = shard;
  const { ruleKeys, ruleCount, source, linkType } = data;
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
        let seen = false;
        const kj = j * ruleCount;
        for (let r = 0; r < rule; r++) {
          const key = ruleKeys[ki + r]!;
          if (key >= 0 && key === ruleKeys[kj + r]) {
            seen = true;
            break;
          }
        }
        if (seen) continue;
        pairs++;
        visit(i, j);
      }
    }
  }
  return pairs;
}

function compileAll(data: ScoringData): LevelFunction[] {
  const scratch = new Scratch();
  return data.comparisons.map((spec, k) => compileComparison(spec, data.columns[k]!, scratch));
}

export interface PatternHistogram {
  patterns: Float64Array;
  counts: Float64Array;
  pairs: number;
}

/** Counts how many candidate pairs fall on each comparison vector; EM trains on these counts. */
export function patternHistogram(data: ScoringData, shard: Shard): PatternHistogram {
  const levelFns = compileAll(data);
  const { radices } = patternCodec(data.comparisons.map((c) => describeLevels(c).levels.length));
  const counts = new Map<number, number>();
  const k = levelFns.length;
  const pairs = forEachCandidatePair(data, shard, (i, j) => {
    let pattern = 0;
    for (let c = 0; c < k; c++) pattern += levelFns[c]!(i, j) * radices[c]!;
    counts.set(pattern, (counts.get(pattern) ?? 0) + 1);
  });
  return histogramFromMap(counts, pairs);
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
 * Scores every candidate pair of a shard and keeps those whose match weight reaches
 * `minWeight`. `levelWeights[k][level]` is comparison k's weight at that level.
 */
export function scoreShard(data: ScoringData, shard: Shard, levelWeights: ReadonlyArray<Float64Array>, priorWeight: number, minWeight: number): ScoredPairs {
  const levelFns = compileAll(data);
  const k = levelFns.length;
  let capacity = 1024;
  let left: Uint32Array<ArrayBuffer> = new Uint32Array(capacity);
  let right: Uint32Array<ArrayBuffer> = new Uint32Array(capacity);
  let weight = new Float32Array(capacity);
  let kept = 0;
  const pairs = forEachCandidatePair(data, shard, (i, j) => {
    let w = priorWeight;
    for (let c = 0; c < k; c++) w += levelWeights[c]![levelFns[c]!(i, j)]!;
    if (w < minWeight) return;
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
 */
export function sampleLevelCounts(data: ScoringData, samples: number, seed: number): Float64Array[] {
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
    const i = Math.floor(random() * n);
    const j = Math.floor(random() * n);
    if (i === j || !allowedPair(data.linkType, data.source[i]!, data.source[j]!)) continue;
    drawn++;
    for (let c = 0; c < levelFns.length; c++) counts[c]![levelFns[c]!(i, j)]!++;
  }
  return counts;
}
