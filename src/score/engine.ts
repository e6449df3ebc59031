import type { Settings } from '../config/settings-schema.js';
import { blockingKey, parseBlockingRule } from '../block/blocking-rules.js';
import { planBlocks, type BlockPlan } from '../block/plan-blocks.js';
import { buildColumns } from '../model/columns.js';
import type { Attributes } from '../model/attributes.js';
import { describeLevels, patternCodec, type ComparisonLevels, type PatternCodec } from './comparison.js';
import { trainEm } from './expectation-maximisation.js';
import { initialParams, levelWeights, priorWeight, weightFromProbability, type ModelParams } from './fellegi-sunter.js';
import { mergeHistograms } from './pair-scan.js';
import type { ShardRunner } from './runner.js';
import type { ScoringData } from './scoring-data.js';

export interface MatchInput {
  source: string;
  attrs: Attributes;
}

export interface MatchPlan {
  data: ScoringData;
  blocks: BlockPlan;
  levels: ComparisonLevels[];
  codec: PatternCodec;
}

/** Blocking keys of each record under each rule ("keys[rule][record]"). */
export function computeBlockKeys(records: ReadonlyArray<{ attrs: Attributes }>, settings: Pick<Settings, 'blocking'>): Array<Array<string | null>> {
  return settings.blocking.rules.map((parts) => {
    const rule = parseBlockingRule(parts);
    return records.map((r) => blockingKey(rule, r.attrs));
  });
}

/** Columns, blocks and shards for a set of records, ready for training and scoring. */
export function buildMatchPlan(
  records: ReadonlyArray<MatchInput>,
  settings: Pick<Settings, 'blocking' | 'comparisons' | 'linkType' | 'run'>,
  keys?: Array<Array<string | null>>,
  options: { shards?: number } = {},
): MatchPlan {
  const attributes = settings.comparisons.map((c) => c.attribute);
  const columns = buildColumns(records, attributes);
  const blocks = planBlocks(keys ?? computeBlockKeys(records, settings), {
    records: records.length,
    shardCount: options.shards ?? settings.run.shards,
    maxBlockSize: settings.blocking.maxBlockSize,
  });
  const levels = settings.comparisons.map(describeLevels);
  return {
    data: {
      size: records.length,
      source: columns.source,
      columns: attributes.map((a) => columns.columns[a]!),
      comparisons: settings.comparisons,
      ruleCount: blocks.ruleCount,
      ruleKeys: blocks.ruleKeys,
      linkType: settings.linkType,
    },
    blocks,
    levels,
    codec: patternCodec(levels.map((l) => l.levels.length)),
  };
}

export interface TrainedModel {
  params: ModelParams;
  iterations: number;
  converged: boolean;
  candidatePairs: number;
}

/** Random pairs drawn in fixed chunks, so the sample is the same for any number of threads. */
const U_CHUNKS = 8;

/**
 * Unsupervised training: u-probabilities start from random pairs, then
 * expectation–maximisation over all candidate pairs' comparison vectors estimates m, u
 * and the share of candidate pairs that match.
 */
export async function trainModel(runner: ShardRunner, plan: MatchPlan, settings: Pick<Settings, 'model'>): Promise<TrainedModel> {
  const perChunk = Math.ceil(settings.model.randomPairs / U_CHUNKS);
  const chunks = await Promise.all(
    Array.from({ length: U_CHUNKS }, (_, c) => runner.sampleLevels(plan.data, perChunk, settings.model.seed + c)),
  );
  const uCounts = plan.levels.map((l, k) => {
    const sum = new Float64Array(l.levels.length);
    for (const chunk of chunks) for (let v = 0; v < sum.length; v++) sum[v]! += chunk[k]![v]!;
    return sum;
  });
  const histograms = await Promise.all(plan.blocks.shards.map((shard) => runner.histogram(plan.data, shard)));
  const histogram = mergeHistograms(histograms);
  const initial = initialParams(plan.levels, uCounts, settings.model.prior ?? 0.1);
  const em = trainEm(histogram, plan.codec, initial, {
    maxIterations: settings.model.maxIterations,
    fixedPrior: settings.model.prior,
  });
  return { ...em, candidatePairs: histogram.pairs };
}

export interface ScoredCandidates {
  left: Uint32Array;
  right: Uint32Array;
  weight: Float32Array;
  candidatePairs: number;
  matchWeight: number;
  reviewWeight: number;
}

/** Scores all candidate pairs and keeps those at or above the review threshold, in shard order. */
export async function scoreCandidates(runner: ShardRunner, plan: MatchPlan, params: ModelParams, thresholds: Settings['thresholds']): Promise<ScoredCandidates> {
  const weights = levelWeights(params);
  const prior = priorWeight(params.prior);
  const reviewWeight = weightFromProbability(thresholds.review);
  const parts = await Promise.all(plan.blocks.shards.map((shard) => runner.score(plan.data, shard, weights, prior, reviewWeight)));
  let total = 0;
  let candidatePairs = 0;
  for (const p of parts) {
    total += p.left.length;
    candidatePairs += p.pairs;
  }
  const left = new Uint32Array(total);
  const right = new Uint32Array(total);
  const weight = new Float32Array(total);
  let pos = 0;
  for (const p of parts) {
    left.set(p.left, pos);
    right.set(p.right, pos);
    weight.set(p.weight, pos);
    pos += p.left.length;
  }
  return { left, right, weight, candidatePairs, matchWeight: weightFromProbability(thresholds.match), reviewWeight };
}
