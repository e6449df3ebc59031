/** Pairwise precision, recall and F1 against a known entity id per record. */
export interface PairwiseMetrics {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

export function metricsFromCounts(tp: number, predicted: number, actual: number): PairwiseMetrics {
  const fp = predicted - tp;
  const fn = actual - tp;
  const precision = predicted === 0 ? (actual === 0 ? 1 : 0) : tp / predicted;
  const recall = actual === 0 ? 1 : tp / actual;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}

/** Whether the link type lets two records (by index) be compared at all. */
export type PairFilter = (i: number, j: number) => boolean;

/**
 * Pairs of records sharing a true entity that the link type allows: the sum of C(size, 2)
 * over entities, less the pairs a link type never compares (same-source pairs when linking only).
 */
export function truePairCount(truth: ReadonlyArray<string | null>, allowed?: PairFilter): number {
  if (!allowed) {
    const sizes = new Map<string, number>();
    for (const t of truth) if (t !== null) sizes.set(t, (sizes.get(t) ?? 0) + 1);
    let pairs = 0;
    for (const n of sizes.values()) pairs += (n * (n - 1)) / 2;
    return pairs;
  }
  return countAllowedPairs(groupBy(truth), allowed);
}

function groupBy<K>(keys: ArrayLike<K | null | undefined>): Map<K, number[]> {
  const groups = new Map<K, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === null || k === undefined) continue;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  return groups;
}

function countAllowedPairs(groups: Map<unknown, number[]>, allowed: PairFilter): number {
  let pairs = 0;
  for (const members of groups.values()) {
    for (let x = 0; x < members.length; x++) for (let y = x + 1; y < members.length; y++) if (allowed(members[x]!, members[y]!)) pairs++;
  }
  return pairs;
}

/** Metrics of a list of predicted matching pairs. */
export function pairMetrics(truth: ReadonlyArray<string | null>, left: ArrayLike<number>, right: ArrayLike<number>, allowed?: PairFilter): PairwiseMetrics {
  let tp = 0;
  for (let e = 0; e < left.length; e++) {
    const a = truth[left[e]!];
    if (a !== null && a !== undefined && a === truth[right[e]!]) tp++;
  }
  return metricsFromCounts(tp, left.length, truePairCount(truth, allowed));
}

/** Metrics of a clustering: every two records in one cluster (that the link type compares) count as a predicted pair. */
export function clusterMetrics(truth: ReadonlyArray<string | null>, labels: ArrayLike<number>, allowed?: PairFilter): PairwiseMetrics {
  if (allowed) {
    let predicted = 0;
    let tp = 0;
    for (const members of groupBy(labels).values()) {
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) {
          const i = members[x]!;
          const j = members[y]!;
          if (!allowed(i, j)) continue;
          predicted++;
          if (truth[i] !== null && truth[i] === truth[j]) tp++;
        }
      }
    }
    return metricsFromCounts(tp, predicted, truePairCount(truth, allowed));
  }
  const clusterSizes = new Map<number, number>();
  const cellSizes = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) {
    clusterSizes.set(labels[i]!, (clusterSizes.get(labels[i]!) ?? 0) + 1);
    const t = truth[i];
    if (t !== null && t !== undefined) {
      const cell = `${labels[i]}\u0000${t}`;
      cellSizes.set(cell, (cellSizes.get(cell) ?? 0) + 1);
    }
  }
  let predicted = 0;
  for (const n of clusterSizes.values()) predicted += (n * (n - 1)) / 2;
  let tp = 0;
  for (const n of cellSizes.values()) tp += (n * (n - 1)) / 2;
  return metricsFromCounts(tp, predicted, truePairCount(truth));
}

/**
 * Share of true pairs that blocking makes candidates: a pair is a candidate when the two
 * records hold the same key under some rule (and the link type allows comparing them).
 */
export function blockingRecall(
  truth: ReadonlyArray<string | null>,
  ruleKeys: Int32Array,
  ruleCount: number,
  allowed: (i: number, j: number) => boolean,
): number {
  const groups = groupBy(truth);
  let total = 0;
  let found = 0;
  for (const members of groups.values()) {
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const i = members[x]!;
        const j = members[y]!;
        if (!allowed(i, j)) continue;
        total++;
        for (let r = 0; r < ruleCount; r++) {
          const k = ruleKeys[i * ruleCount + r]!;
          if (k >= 0 && k === ruleKeys[j * ruleCount + r]) {
            found++;
            break;
          }
        }
      }
    }
  }
  return total === 0 ? 1 : found / total;
}
