import { comparisonSchema } from '../../src/config/comparison-schema.js';
import { describe, expect, it } from 'vitest';
import type { ComparisonSettings } from '../../src/config/settings-schema.js';
import { seededRandom } from '../../src/model/random.js';
import { describeLevels, patternCodec } from '../../src/score/comparison.js';
import { trainEm } from '../../src/score/expectation-maximisation.js';
import {
  initialParams,
  levelWeights,
  matchWeight,
  PROBABILITY_FLOOR,
  priorWeight,
  probabilityFromWeight,
  weightFromProbability,
  type ModelParams,
} from '../../src/score/fellegi-sunter.js';
import { histogramFromMap } from '../../src/score/pair-scan.js';

interface Truth {
  prior: number;
  /** Per comparison: m and u over the non-missing levels (1..n), and the chance the value is missing. */
  comparisons: Array<{ m: number[]; u: number[]; missing: number }>;
}

/** Comparison vectors drawn from a known model, counted per pattern. */
function simulate(specs: ComparisonSettings[], truth: Truth, pairs: number, seed: number) {
  const levels = specs.map(describeLevels);
  const codec = patternCodec(levels.map((l) => l.levels.length));
  const random = seededRandom(seed);
  const draw = (p: number[]) => {
    let x = random();
    for (let i = 0; i < p.length; i++) {
      x -= p[i]!;
      if (x < 0) return i + 1;
    }
    return p.length;
  };
  const counts = new Map<number, number>();
  for (let n = 0; n < pairs; n++) {
    const isMatch = random() < truth.prior;
    let pattern = 0;
    truth.comparisons.forEach((c, k) => {
      const level = random() < c.missing ? 0 : draw(isMatch ? c.m : c.u);
      pattern += level * codec.radices[k]!;
    });
    counts.set(pattern, (counts.get(pattern) ?? 0) + 1);
  }
  return { levels, codec, histogram: histogramFromMap(counts, pairs) };
}

const specs: ComparisonSettings[] = [
  comparisonSchema.parse({ attribute: 'firstName', method: 'jaroWinkler', thresholds: [0.92, 0.8] }),
  comparisonSchema.parse({ attribute: 'lastName', method: 'levenshtein', thresholds: [1] }),
  comparisonSchema.parse({ attribute: 'postcode', method: 'exact' }),
];

const truths: Array<[string, Truth]> = [
  ['three comparisons, prior 0.2', {
    prior: 0.2,
    comparisons: [
      { m: [0.7, 0.15, 0.1, 0.05], u: [0.02, 0.05, 0.13, 0.8], missing: 0.05 },
      { m: [0.8, 0.15, 0.05], u: [0.05, 0.1, 0.85], missing: 0.1 },
      { m: [0.9, 0.1], u: [0.1, 0.9], missing: 0 },
    ],
  }],
  ['three comparisons, prior 0.05', {
    prior: 0.05,
    comparisons: [
      { m: [0.85, 0.08, 0.04, 0.03], u: [0.01, 0.03, 0.06, 0.9], missing: 0.2 },
      { m: [0.9, 0.07, 0.03], u: [0.02, 0.08, 0.9], missing: 0 },
      { m: [0.95, 0.05], u: [0.15, 0.85], missing: 0.3 },
    ],
  }],
];

describe('trainEm', () => {
  it.each(truths)('recovers prior, m and u: %s', (_label, truth) => {
    const { levels, codec, histogram } = simulate(specs, truth, 200_000, 2024);
    const { params, converged } = trainEm(histogram, codec, initialParams(levels), { maxIterations: 1000 });
    expect(converged).toBe(true);
    expect(params.prior).toBeCloseTo(truth.prior, 1);
    expect(Math.abs(params.prior - truth.prior)).toBeLessThan(0.03);
    truth.comparisons.forEach((c, k) => {
      const learned = params.comparisons[k]!.levels;
      expect(learned[0]).toEqual({ label: 'missing', m: null, u: null });
      c.m.forEach((m, l) => {
        expect(Math.abs(learned[l + 1]!.m! - m), `m of comparison ${k} level ${l + 1}`).toBeLessThan(0.03);
        expect(Math.abs(learned[l + 1]!.u! - c.u[l]!), `u of comparison ${k} level ${l + 1}`).toBeLessThan(0.03);
      });
      const mSum = learned.slice(1).reduce((s, level) => s + level.m!, 0);
      expect(mSum).toBeCloseTo(1, 6);
    });
  });

  it('keeps a fixed prior and u when told to', () => {
    const [, truth] = truths[0]!;
    const { levels, codec, histogram } = simulate(specs, truth, 50_000, 7);
    const initial = initialParams(levels);
    const { params } = trainEm(histogram, codec, initial, { maxIterations: 200, fixedPrior: 0.3, fixU: true });
    expect(params.prior).toBe(0.3);
    params.comparisons.forEach((c, k) => {
      c.levels.forEach((level, l) => expect(level.u).toBe(initial.comparisons[k]!.levels[l]!.u));
    });
    // m still moved away from its starting point.
    expect(params.comparisons[0]!.levels[1]!.m).not.toBe(initial.comparisons[0]!.levels[1]!.m);
  });

  it('does not change the initial parameters it is given', () => {
    const [, truth] = truths[0]!;
    const { levels, codec, histogram } = simulate(specs, truth, 10_000, 8);
    const initial = initialParams(levels);
    const copy = structuredClone(initial);
    trainEm(histogram, codec, initial, { maxIterations: 20 });
    expect(initial).toEqual(copy);
  });

  it('stops at maxIterations without claiming convergence', () => {
    const [, truth] = truths[0]!;
    const { levels, codec, histogram } = simulate(specs, truth, 10_000, 9);
    const result = trainEm(histogram, codec, initialParams(levels), { maxIterations: 2 });
    expect(result.iterations).toBe(2);
    expect(result.converged).toBe(false);
  });

  it('returns the initial parameters for an empty histogram', () => {
    const levels = specs.map(describeLevels);
    const codec = patternCodec(levels.map((l) => l.levels.length));
    const initial = initialParams(levels);
    const result = trainEm(histogramFromMap(new Map(), 0), codec, initial, { maxIterations: 10 });
    expect(result.iterations).toBe(0);
    expect(result.params).toEqual(initial);
  });
});

describe('match weights', () => {
  it.each([0.001, 0.1, 0.5, 0.9, 0.999, 1e-6])('probabilityFromWeight(weightFromProbability(%d)) round-trips', (p) => {
    expect(probabilityFromWeight(weightFromProbability(p))).toBeCloseTo(p, 12);
  });

  it.each([-30, -5, -0.5, 0, 0.5, 5, 30])('weightFromProbability(probabilityFromWeight(%d)) round-trips', (w) => {
    expect(weightFromProbability(probabilityFromWeight(w))).toBeCloseTo(w, 6);
  });

  it.each([
    [0, 0.5],
    [1, 2 / 3],
    [-1, 1 / 3],
    [10, 1024 / 1025],
    [2000, 1], // odds overflow to infinity
    [-2000, 0],
  ])('probabilityFromWeight(%d) = %d', (w, p) => {
    expect(probabilityFromWeight(w)).toBeCloseTo(p, 12);
  });

  it.each([
    [0.9, 0.1, 1],
    [0.1, 0.9, -1],
    [0.3, 0.3, 0],
    [1e-9, 0.5, -1],
  ])('matchWeight(m=%d, u=%d) has sign %d', (m, u, sign) => {
    expect(Math.sign(matchWeight(m, u))).toBe(sign);
  });

  it('is the log2 Bayes factor, with zero probabilities floored', () => {
    expect(matchWeight(0.8, 0.1)).toBeCloseTo(3, 12);
    expect(matchWeight(0.5, 0)).toBeCloseTo(Math.log2(0.5 / PROBABILITY_FLOOR), 12);
    expect(matchWeight(0, 0.5)).toBeCloseTo(Math.log2(PROBABILITY_FLOOR / 0.5), 12);
  });

  it('priorWeight is the weight of the prior probability', () => {
    expect(priorWeight(0.2)).toBeCloseTo(weightFromProbability(0.2), 12);
    expect(priorWeight(0.2)).toBeCloseTo(-2, 12);
  });

  it('levelWeights gives the missing level weight 0', () => {
    const params: ModelParams = {
      prior: 0.1,
      comparisons: [{
        label: 'x',
        attribute: 'x',
        levels: [
          { label: 'missing', m: null, u: null },
          { label: 'exact', m: 0.8, u: 0.1 },
          { label: 'else', m: 0.2, u: 0.9 },
        ],
      }],
    };
    const [weights] = levelWeights(params);
    expect(weights![0]).toBe(0);
    expect(weights![1]).toBeCloseTo(3, 12);
    expect(weights![2]).toBeCloseTo(Math.log2(0.2 / 0.9), 12);
  });
});

describe('initialParams', () => {
  it('starts m high on agreement and u from random-pair counts with Laplace smoothing', () => {
    const levels = [describeLevels(comparisonSchema.parse({ attribute: 'lastName', method: 'levenshtein', thresholds: [1] }))];
    const uCounts = [Float64Array.from([50, 10, 0, 90])]; // missing, exact, ≤1, else
    const params = initialParams(levels, uCounts, 0.2);
    const l = params.comparisons[0]!.levels;
    expect(params.prior).toBe(0.2);
    expect(l[0]).toEqual({ label: 'missing', m: null, u: null });
    expect(l.slice(1).map((x) => x.u)).toEqual([11 / 103, 1 / 103, 91 / 103]);
    const m = l.slice(1).map((x) => x.m!);
    expect(m[0]).toBeGreaterThan(m[1]!);
    expect(m[1]).toBeGreaterThan(m[2]!);
    expect(m.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
