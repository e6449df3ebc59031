import { describe, expect, it } from 'vitest';
import { blockingRecall, clusterMetrics, metricsFromCounts, pairMetrics, truePairCount, type PairFilter } from '../../src/evaluate/pairwise-metrics.js';

/**
 * Eight records from two sources. True entities:
 *   e1 = {0 A, 1 A, 2 B}: pairs 0-1 (within A), 0-2 and 1-2 (across)
 *   e2 = {3 B, 4 A}:      pair 3-4 (across)
 *   e3 = {5 B, 7 B}:      pair 5-7 (within B)
 *   record 6 has no known entity.
 * All true pairs: 5. Across sources (link only): 0-2, 1-2, 3-4 = 3. Within a source: 0-1, 5-7 = 2.
 */
const source = ['A', 'A', 'B', 'B', 'A', 'B', 'A', 'B'];
const truth = ['e1', 'e1', 'e1', 'e2', 'e2', 'e3', null, 'e3'];
const crossSource: PairFilter = (i, j) => source[i] !== source[j];
const sameSource: PairFilter = (i, j) => source[i] === source[j];
const everyPair: PairFilter = () => true;
const noPair: PairFilter = () => false;

describe('truePairCount', () => {
  it.each<[string, PairFilter | undefined, number]>([
    ['every pair (no filter)', undefined, 5],
    ['every pair (filter allowing all)', everyPair, 5],
    ['across sources only', crossSource, 3],
    ['within a source only', sameSource, 2],
    ['no pair at all', noPair, 0],
  ])('%s → %d', (_name, allowed, expected) => {
    expect(truePairCount(truth, allowed)).toBe(expected);
  });

  it('counts no pairs when no entity is known', () => {
    expect(truePairCount([null, null, null])).toBe(0);
    expect(truePairCount([null, null, null], everyPair)).toBe(0);
  });

  it('agrees with and without a filter that allows everything, on larger groups', () => {
    const many = ['a', 'a', 'a', 'a', 'b', 'b', 'b', null, 'c'];
    expect(truePairCount(many)).toBe(6 + 3);
    expect(truePairCount(many, everyPair)).toBe(6 + 3);
  });
});

describe('pairMetrics', () => {
  // Predicted: 0-2 (true), 1-2 (true), 2-3 (e1 vs e2: false), 6-5 (unknown entity: false).
  const left = [0, 1, 2, 6];
  const right = [2, 2, 3, 5];

  it('measures recall against the true pairs the link type compares', () => {
    const m = pairMetrics(truth, left, right, crossSource);
    expect(m).toMatchObject({ truePositives: 2, falsePositives: 2, falseNegatives: 1 });
    expect(m.precision).toBeCloseTo(2 / 4, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(4 / 7, 12); // 2·½·⅔ / (½ + ⅔)
  });

  it('without a filter, counts the within-source true pairs as missed', () => {
    const m = pairMetrics(truth, left, right);
    expect(m).toMatchObject({ truePositives: 2, falsePositives: 2, falseNegatives: 3 });
    expect(m.precision).toBeCloseTo(1 / 2, 12);
    expect(m.recall).toBeCloseTo(2 / 5, 12);
    expect(m.f1).toBeCloseTo(4 / 9, 12); // 2·½·⅖ / (½ + ⅖)
  });

  it('reaches recall 1 when every cross-source true pair is predicted', () => {
    const m = pairMetrics(truth, [0, 1, 4], [2, 2, 3], crossSource);
    expect(m).toMatchObject({ truePositives: 3, falsePositives: 0, falseNegatives: 0, precision: 1, recall: 1, f1: 1 });
  });

  it('scores no predictions and no allowed true pairs as perfect, and no predictions against some as zero', () => {
    expect(pairMetrics(truth, [], [], noPair)).toMatchObject({ truePositives: 0, precision: 1, recall: 1, f1: 1 });
    expect(pairMetrics(truth, [], [], crossSource)).toMatchObject({ truePositives: 0, falseNegatives: 3, precision: 0, recall: 0, f1: 0 });
  });
});

describe('clusterMetrics', () => {
  // Clusters: 10 = {0 A, 1 A, 2 B, 4 A}, 20 = {3 B}, 30 = {5 B, 6 A, 7 B}.
  const labels = [10, 10, 10, 20, 10, 30, 30, 30];

  it('counts only the pairs in a cluster that the link type compares', () => {
    // Cross-source pairs in clusters: 0-2, 1-2, 2-4 (cluster 10), 5-6, 6-7 (cluster 30) = 5 predicted.
    // True among them: 0-2, 1-2. The true pairs 0-1 and 5-7 are within a source and count nowhere.
    const m = clusterMetrics(truth, labels, crossSource);
    expect(m).toMatchObject({ truePositives: 2, falsePositives: 3, falseNegatives: 1 });
    expect(m.precision).toBeCloseTo(2 / 5, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(1 / 2, 12); // 2·⅖·⅔ / (⅖ + ⅔)
  });

  it('without a filter, counts every pair in a cluster', () => {
    // Predicted: C(4,2) + C(3,2) = 9. True: 0-1, 0-2, 1-2 (cluster 10) and 5-7 (cluster 30) = 4 of 5.
    const m = clusterMetrics(truth, labels);
    expect(m).toMatchObject({ truePositives: 4, falsePositives: 5, falseNegatives: 1 });
    expect(m.precision).toBeCloseTo(4 / 9, 12);
    expect(m.recall).toBeCloseTo(4 / 5, 12);
    expect(m.f1).toBeCloseTo(4 / 7, 12);
  });

  it('gives the same answer with a filter that allows every pair as without one', () => {
    expect(clusterMetrics(truth, labels, everyPair)).toEqual(clusterMetrics(truth, labels));
  });

  it('within a source only: the dedupe view of the same clusters', () => {
    // Same-source pairs in clusters: 0-1, 0-4, 1-4 (cluster 10), 5-7 (cluster 30) = 4; true: 0-1, 5-7.
    const m = clusterMetrics(truth, labels, sameSource);
    expect(m).toMatchObject({ truePositives: 2, falsePositives: 2, falseNegatives: 0 });
    expect(m.precision).toBeCloseTo(1 / 2, 12);
    expect(m.recall).toBe(1);
  });

  it('scores singletons: no predicted pairs', () => {
    const singletons = truth.map((_, i) => i);
    expect(clusterMetrics(truth, singletons, crossSource)).toMatchObject({ truePositives: 0, falsePositives: 0, falseNegatives: 3, precision: 0, recall: 0, f1: 0 });
  });
});

describe('blockingRecall', () => {
  // Two rules; -1 means the record has no key under the rule (never a shared block).
  //            record: 0   1   2   3  4  5   6  7
  const rule0 = [0, -1, -1, 2, 2, 3, -1, 4];
  const rule1 = [5, -1, 5, 6, -1, 7, 7, 7];
  const ruleKeys = Int32Array.from(rule0.flatMap((k, i) => [k, rule1[i]!]));

  it.each<[string, PairFilter, number]>([
    // 0-2 share rule 1; 1-2 share nothing (both -1 under rule 0 is not a block); 3-4 share rule 0.
    ['across sources', crossSource, 2 / 3],
    // 0-1 share nothing; 5-7 share rule 1.
    ['within a source', sameSource, 1 / 2],
    // 0-1 no, 0-2 yes, 1-2 no, 3-4 yes, 5-7 yes.
    ['every pair', everyPair, 3 / 5],
  ])('%s → %d', (_name, allowed, expected) => {
    expect(blockingRecall(truth, ruleKeys, 2, allowed)).toBeCloseTo(expected, 12);
  });

  it('is 1 when the link type allows no true pair', () => {
    expect(blockingRecall(truth, ruleKeys, 2, noPair)).toBe(1);
  });

  it('reads the keys of one rule alone', () => {
    // Rule 0 only: across sources finds 3-4 of {0-2, 1-2, 3-4}.
    expect(blockingRecall(truth, Int32Array.from(rule0), 1, crossSource)).toBeCloseTo(1 / 3, 12);
    // Rule 1 only: across sources finds 0-2.
    expect(blockingRecall(truth, Int32Array.from(rule1), 1, crossSource)).toBeCloseTo(1 / 3, 12);
  });
});

describe('metricsFromCounts', () => {
  it.each<[number, number, number, Partial<ReturnType<typeof metricsFromCounts>>]>([
    [0, 0, 0, { precision: 1, recall: 1, f1: 1 }],
    [0, 0, 3, { precision: 0, recall: 0, f1: 0, falseNegatives: 3 }],
    [0, 2, 0, { precision: 0, recall: 1, f1: 0, falsePositives: 2 }],
    [2, 4, 3, { truePositives: 2, falsePositives: 2, falseNegatives: 1, precision: 0.5 }],
  ])('tp %d, predicted %d, actual %d', (tp, predicted, actual, expected) => {
    expect(metricsFromCounts(tp, predicted, actual)).toMatchObject(expected);
  });
});
