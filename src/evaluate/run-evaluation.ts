import type { SecretLookup } from '../config/env.js';
import type { Settings } from '../config/settings-schema.js';
import { connectedComponents } from '../cluster/union-find.js';
import { createConnector } from '../connectors/create-connector.js';
import { SettingsError } from '../errors.js';
import type { Attributes } from '../model/attributes.js';
import { buildMatchPlan, scoreCandidates, trainModel } from '../score/engine.js';
import type { ShardRunner } from '../score/runner.js';
import { allowedPair } from '../score/scoring-data.js';
import { lookup, sourceContexts, standardizeRecord } from '../standardize/record.js';
import { blockingRecall, clusterMetrics, pairMetrics, type PairwiseMetrics } from './pairwise-metrics.js';

export interface EvaluationOptions {
  truthColumn: string;
  /** The first capture group extracts the entity id from the truth column (FEBRL: `rec-(\d+)-`). */
  truthRegex?: string;
  runner: ShardRunner;
  secrets: SecretLookup;
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
  model: { prior: number; iterations: number; converged: boolean };
  timingsMs: { load: number; block: number; train: number; score: number; cluster: number; total: number };
}

/**
 * Runs matching in memory exactly as a run would (same standardization, blocking,
 * unsupervised training, scoring and clustering) and scores the result against a column
 * that holds the true entity. The truth is read only after matching, to score it.
 */
export async function evaluateSettings(settings: Settings, options: EvaluationOptions): Promise<EvaluationReport> {
  const t0 = performance.now();
  const regex = options.truthRegex ? new RegExp(options.truthRegex) : null;
  const contexts = sourceContexts(settings);
  const records: Array<{ source: string; attrs: Attributes }> = [];
  const truth: Array<string | null> = [];
  let skipped = 0;
  for (const source of settings.sources) {
    let sawTruth = false;
    for await (const row of createConnector(source, options.secrets).rows({ watermark: null })) {
      if (row.kind === 'error') {
        skipped++;
        continue;
      }
      const result = standardizeRecord(row.values, source.fields, contexts.get(source.name)!);
      if (result.rejection || result.excludedBecause) {
        skipped++;
        continue;
      }
      const raw = lookup(row.values, options.truthColumn);
      if (raw !== undefined) sawTruth = true;
      const text = raw === null || raw === undefined ? null : String(raw);
      truth.push(text === null ? null : regex ? (text.match(regex)?.[1] ?? null) : text);
      records.push({ source: source.name, attrs: result.attrs });
    }
    if (!sawTruth) throw new SettingsError('evaluate', [`--truth-column: source ${source.name} has no column "${options.truthColumn}"`]);
  }
  const t1 = performance.now();
  const plan = buildMatchPlan(records, settings);
  const t2 = performance.now();
  const model = await trainModel(options.runner, plan, settings);
  const t3 = performance.now();
  const scored = await scoreCandidates(options.runner, plan, model.params, settings.thresholds);
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
  const pairs = pairMetrics(truth, left, right);
  const clusters = clusterMetrics(truth, labels);
  const recall = blockingRecall(truth, plan.data.ruleKeys, plan.data.ruleCount, (i, j) => allowedPair(settings.linkType, plan.data.source[i]!, plan.data.source[j]!));
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
    model: { prior: model.params.prior, iterations: model.iterations, converged: model.converged },
    timingsMs: {
      load: Math.round(t1 - t0), block: Math.round(t2 - t1), train: Math.round(t3 - t2), score: Math.round(t4 - t3),
      cluster: Math.round(t5 - t4), total: Math.round(performance.now() - t0),
    },
  };
}
