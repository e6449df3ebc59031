import type { ComparisonLevels } from './comparison.js';

/**
 * Fellegi–Sunter parameters: for each comparison level, m = P(level | match) and
 * u = P(level | non-match); `prior` is the share of candidate pairs that match.
 * The "missing" level (0) has no m or u: a missing value is no evidence either way.
 */
export interface ModelParams {
  prior: number;
  comparisons: Array<{
    label: string;
    attribute: string;
    levels: Array<{ label: string; m: number | null; u: number | null }>;
  }>;
}

export const PROBABILITY_FLOOR = 1e-6;

export function log2(x: number): number {
  return Math.log(x) / Math.LN2;
}

/** Match weight of a Bayes factor: positive is evidence of a match. */
export function matchWeight(m: number, u: number): number {
  return log2(Math.max(m, PROBABILITY_FLOOR) / Math.max(u, PROBABILITY_FLOOR));
}

export function priorWeight(prior: number): number {
  return log2(prior / (1 - prior));
}

export function probabilityFromWeight(weight: number): number {
  const odds = 2 ** weight;
  return Number.isFinite(odds) ? odds / (1 + odds) : 1;
}

export function weightFromProbability(probability: number): number {
  return log2(probability / (1 - probability));
}

/** Per comparison, the weight of each level (0 for "missing"). */
export function levelWeights(params: ModelParams): Float64Array[] {
  return params.comparisons.map((c) =>
    Float64Array.from(c.levels, (level) => (level.m === null || level.u === null ? 0 : matchWeight(level.m, level.u))));
}

/** Starting parameters: agreement is likelier among matches; u comes from random pairs when given. */
export function initialParams(levels: ReadonlyArray<ComparisonLevels>, uCounts?: ReadonlyArray<Float64Array>, prior = 0.1): ModelParams {
  return {
    prior,
    comparisons: levels.map((c, k) => {
      const n = c.levels.length - 1; // non-missing levels
      const mRaw = Array.from({ length: n }, (_, i) => 0.9 * 0.25 ** i + 0.01);
      const mSum = mRaw.reduce((a, b) => a + b, 0);
      const counts = uCounts?.[k];
      let uTotal = 0;
      if (counts) for (let l = 1; l < counts.length; l++) uTotal += counts[l]!;
      return {
        label: c.label,
        attribute: c.attribute,
        levels: c.levels.map((label, l) => {
          if (l === 0) return { label, m: null, u: null };
          const m = mRaw[l - 1]! / mSum;
          // Laplace smoothing keeps a level never seen among random pairs from an infinite weight.
          const u = counts && uTotal > 0 ? (counts[l]! + 1) / (uTotal + n) : mRaw[n - l]! / mSum;
          return { label, m, u };
        }),
      };
    }),
  };
}
