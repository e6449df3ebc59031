import { decodePattern, type PatternCodec } from './comparison.js';
import { PROBABILITY_FLOOR, type ModelParams } from './fellegi-sunter.js';
import type { PatternHistogram } from './pair-scan.js';

export interface EmOptions {
  maxIterations: number;
  /** Stop when no parameter moves more than this. */
  tolerance?: number;
  /** Keep u from random sampling instead of re-estimating it on candidate pairs. */
  fixU?: boolean;
  /** Keep this prior instead of estimating it. */
  fixedPrior?: number;
  /** Comparisons left out entirely, as if missing: those the training session blocks on. */
  ignore?: ReadonlyArray<boolean>;
  /** Comparisons whose m stays as given (already trained elsewhere) while they still count as evidence. */
  fixM?: ReadonlyArray<boolean>;
}

export interface EmResult {
  params: ModelParams;
  iterations: number;
  converged: boolean;
}

/**
 * Expectation–maximisation over the histogram of comparison vectors (each distinct
 * vector once, with its count), assuming comparisons are independent given match status.
 * Work per iteration grows with the number of distinct vectors, not with the pairs.
 */
export function trainEm(histogram: PatternHistogram, codec: PatternCodec, initial: ModelParams, options: EmOptions): EmResult {
  const K = codec.levelCounts.length;
  const P = histogram.patterns.length;
  const levels = new Int32Array(P * K);
  const scratch = new Int32Array(K);
  for (let p = 0; p < P; p++) levels.set(decodePattern(codec, histogram.patterns[p]!, scratch), p * K);
  if (options.ignore) {
    for (let k = 0; k < K; k++) if (options.ignore[k]) for (let p = 0; p < P; p++) levels[p * K + k] = 0;
  }
  const counts = histogram.counts;
  const params = structuredClone(initial);
  if (options.fixedPrior !== undefined) params.prior = options.fixedPrior;
  const tolerance = options.tolerance ?? 1e-6;
  const m = params.comparisons.map((c) => Float64Array.from(c.levels, (l) => l.m ?? 1));
  const u = params.comparisons.map((c) => Float64Array.from(c.levels, (l) => l.u ?? 1));
  const mAcc = m.map((a) => new Float64Array(a.length));
  const uAcc = u.map((a) => new Float64Array(a.length));
  let prior = params.prior;
  let iterations = 0;
  let converged = false;
  while (iterations < options.maxIterations && P > 0) {
    iterations++;
    for (let k = 0; k < K; k++) {
      mAcc[k]!.fill(0);
      uAcc[k]!.fill(0);
    }
    let matchMass = 0;
    let total = 0;
    const logPrior = Math.log(prior);
    const logNotPrior = Math.log(1 - prior);
    for (let p = 0; p < P; p++) {
      let lm = logPrior;
      let lu = logNotPrior;
      const base = p * K;
      for (let k = 0; k < K; k++) {
        const level = levels[base + k]!;
        if (level === 0) continue;
        lm += Math.log(m[k]![level]!);
        lu += Math.log(u[k]![level]!);
      }
      const g = 1 / (1 + Math.exp(lu - lm));
      const c = counts[p]!;
      matchMass += c * g;
      total += c;
      for (let k = 0; k < K; k++) {
        const level = levels[base + k]!;
        if (level === 0) continue;
        mAcc[k]![level]! += c * g;
        uAcc[k]![level]! += c * (1 - g);
      }
    }
    let change = 0;
    if (options.fixedPrior === undefined) {
      const next = Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, matchMass / total));
      change = Math.max(change, Math.abs(next - prior));
      prior = next;
    }
    for (let k = 0; k < K; k++) {
      if (options.ignore?.[k]) continue;
      if (!options.fixM?.[k]) change = Math.max(change, normaliseInto(m[k]!, mAcc[k]!));
      if (!options.fixU) change = Math.max(change, normaliseInto(u[k]!, uAcc[k]!));
    }
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  params.prior = prior;
  params.comparisons.forEach((c, k) =>
    c.levels.forEach((level, l) => {
      if (l === 0) return;
      level.m = m[k]![l]!;
      level.u = u[k]![l]!;
    }));
  return { params, iterations, converged };
}

/** Writes normalised accumulations (levels 1..n) into target; returns the largest change. */
function normaliseInto(target: Float64Array, acc: Float64Array): number {
  let sum = 0;
  for (let l = 1; l < acc.length; l++) sum += acc[l]!;
  if (sum <= 0) return 0;
  let change = 0;
  for (let l = 1; l < acc.length; l++) {
    const next = Math.max(PROBABILITY_FLOOR, acc[l]! / sum);
    change = Math.max(change, Math.abs(next - target[l]!));
    target[l] = next;
  }
  return change;
}
