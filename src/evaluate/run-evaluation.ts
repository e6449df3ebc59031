import type { SecretLookup } from '../config/env.js';
import type { Settings } from '../config/settings-schema.js';
import { connectedComponents } from '../cluster/union-find.js';
import { obtainModel } from '../pipeline/obtain-model.js';
import { buildMatchPlan, scoreCandidates, type TrainedModel } from '../score/engine.js';
import type { ShardRunner } from '../score/runner.js';
import { allowedPair } from '../score/scoring-data.js';
import { blockingRecall, clusterMetrics, pairMetrics, type PairwiseMetrics } from './pairwise-metrics.js';
import { readRecordsInMemory } from './read-records.js';

export interface EvaluationOptions {
  truthColumn: string;
  /** The first capture group extracts the entity id from the truth column (FEBRL: `rec-(\d+)-`). */
  truthRegex?: string;
  runner: ShardRunner;
  secrets: SecretLookup;
  /** Keep every candidate pair's weight and truth, for the HTML report's charts. */
  keepAllPairs?: boolean;
}

export interface EvaluationReport {
  records: number;
  skipped: number;
  candidatePairs: number;
  blockingRecall: number;
  precision: number;
  recall: number;
  f1: number;
  confusion: { truePositives: number; falsePositives: number; falseNegatives: number };
  clusters: PairwiseMetrics & { count: number };
  model: TrainedModel;
  matchWeight: number;
  reviewWeight: number;
  /** True pairs the link type compares: the recall denominator. */
  truePairs: number;
  /** With keepAllPairs: every candidate pair's weight, and whether it is a true match. */
  pairs?: { weight: Float32Array; isMatch: Uint8Array };
  timingsMs: { load: number; block: number; train: number; score: number; cluster: number; total: number };
}

/**
 * Runs matching in memory exactly as a run would (same standardization, blocking,
 * unsupervised training, scoring and clustering) and scores the result against a column
 * that holds the true entity. The truth is read only after matching, to score it.
 */
export async function evaluateSettings(settings: Settings, options: EvaluationOptions): Promise<EvaluationReport> {
  const t0 = performance.now();
  const { records, truth, skipped } = await readRecordsInMemory(settings, options.secrets, { column: options.truthColumn, regex: options.truthRegex });
  const t1 = performance.now();
  const plan = buildMatchPlan(records, settings);
  const t2 = performance.now();
  const model = await obtainModel(options.runner, plan, settings);
  const t3 = performance.now();
  const scored = await scoreCandidates(options.runner, plan, model.params, settings.thresholds, options.keepAllPairs ? -Infinity : undefined);
  const t4 = performance.now();
  const left: number[] = [];
  const right: number[] = [];
  for (let e = 0; e < scored.left.length; e++) {
    if (scored.weight[e]! >= scored.matchWeight) {
      left.push(scored.left[e]!);
      right.push(scored.right[e]!);
    }
  }
  const labels = connectedComponents(records.length, left, right);
  const t5 = performance.now();
  const allowed = (i: number, j: number) => allowedPair(settings.linkType, plan.data.source[i]!, plan.data.source[j]!);
  const pairs = pairMetrics(truth, left, right, allowed);
  const clusters = clusterMetrics(truth, labels, allowed);
  const recall = blockingRecall(truth, plan.data.ruleKeys, plan.data.ruleCount, allowed);
  let kept: EvaluationReport['pairs'];
  if (options.keepAllPairs) {
    const isMatch = new Uint8Array(scored.left.length);
    for (let e = 0; e < isMatch.length; e++) {
      const t = truth[scored.left[e]!];
      isMatch[e] = t !== null && t !== undefined && t === truth[scored.right[e]!] ? 1 : 0;
    }
    kept = { weight: scored.weight, isMatch };
  }
  return {
    records: records.length,
    skipped,
    candidatePairs: scored.candidatePairs,
    blockingRecall: recall,
    precision: pairs.precision,
    recall: pairs.recall,
    f1: pairs.f1,
    confusion: { truePositives: pairs.truePositives, falsePositives: pairs.falsePositives, falseNegatives: pairs.falseNegatives },
    clusters: { ...clusters, count: new Set(labels).size },
    model,
    matchWeight: scored.matchWeight,
    reviewWeight: scored.reviewWeight,
    truePairs: pairs.truePositives + pairs.falseNegatives,
    pairs: kept,
    timingsMs: {
      load: Math.round(t1 - t0), block: Math.round(t2 - t1), train: Math.round(t3 - t2), score: Math.round(t4 - t3),
      cluster: Math.round(t5 - t4), total: Math.round(performance.now() - t0),
    },
  };
}
