import type { Settings } from '../config/settings-schema.js';
import { blockingKey, parseBlockingRule } from '../block/blocking-rules.js';
import { numberKeys, planKeyedBlocks, type BlockPlan, type NumberedKeys } from '../block/plan-blocks.js';
import { buildColumns, columnValues, shared, type RecordColumns } from '../model/columns.js';
import type { Attributes } from '../model/attributes.js';
import { loadNicknames } from '../standardize/nicknames.js';
import { comparisonAttributes, describeLevels, EXACT_LEVEL, patternCodec, type ComparisonLevels, type PatternCodec } from './comparison.js';
import { trainEm } from './expectation-maximisation.js';
import { initialParams, levelWeights, log2, priorWeight, PROBABILITY_FLOOR, weightFromProbability, type ModelParams } from './fellegi-sunter.js';
import { histogramSlot, mergeHistograms, type ScoreWeights } from './pair-scan.js';
import { buildValueFeatures, type PopulationCounts } from './value-features.js';
import type { ShardRunner } from './runner.js';
import { samplingOrder } from './sample-order.js';
import type { ScoringData } from './scoring-data.js';

export interface MatchInput {
  source: string;
  attrs: Attributes;
}

export interface MatchPlan {
  data: ScoringData;
  /** Source names by the index `data.source` holds. */
  sources: string[];
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

type PlanSettings = Pick<Settings, 'blocking' | 'comparisons' | 'linkType' | 'run'>;

export interface PlanOptions {
  shards?: number;
  /** Per attribute, how many records of the whole population hold a value (for term frequencies of a partial load). */
  population?: (attribute: string, values: string[]) => PopulationCounts;
  /** Per record, whether it changed since the run this one builds on (see ScoringData.changed). */
  changed?: ReadonlyArray<boolean>;
}

/** Columns, blocks and shards for a set of records, ready for training and scoring. */
export function buildMatchPlan(
  records: ReadonlyArray<MatchInput>,
  settings: PlanSettings,
  keys?: Array<Array<string | null>>,
  options: PlanOptions = {},
): MatchPlan {
  const columns = buildColumns(records, matchAttributes(settings));
  const ruleKeys = (keys ?? computeBlockKeys(records, settings)).map((values) => numberKeys(values, records.length));
  return matchPlanOf(columns, ruleKeys, settings, options);
}

/** The attributes scoring compares, each once: the columns a match plan is built on. */
export function matchAttributes(settings: Pick<Settings, 'comparisons'>): string[] {
  return [...new Set(settings.comparisons.flatMap(comparisonAttributes))];
}

/** A match plan over records already encoded as columns, with their blocking keys numbered per rule. */
export function matchPlanOf(columns: RecordColumns, keys: ReadonlyArray<NumberedKeys>, settings: PlanSettings, options: PlanOptions = {}): MatchPlan {
  const blocks = planKeyedBlocks(keys, {
    records: columns.size,
    shardCount: options.shards ?? settings.run.shards,
    maxBlockSize: settings.blocking.maxBlockSize,
  });
  const levels = settings.comparisons.map(describeLevels);
  return {
    sources: columns.sources,
    data: {
      size: columns.size,
      source: columns.source,
      columns: columns.columns,
      comparisons: settings.comparisons,
      features: settings.comparisons.map((c) => {
        const column = columns.columns[c.attribute]!;
        const population = c.termFrequency && options.population
          ? options.population(c.attribute, columnValues(column))
          : undefined;
        return buildValueFeatures(c, column, loadNicknames, population);
      }),
      ruleCount: blocks.ruleCount,
      ruleKeys: blocks.ruleKeys,
      linkType: settings.linkType,
      ...(options.changed ? { changed: changedFlags(options.changed) } : {}),
    },
    blocks,
    levels,
    codec: patternCodec(levels.map((l) => l.levels.length)),
  };
}

function changedFlags(changed: ReadonlyArray<boolean>): Uint8Array {
  const out = shared(Uint8Array, changed.length);
  changed.forEach((c, i) => (out[i] = c ? 1 : 0));
  return out;
}

export interface TrainingSession {
  /** The blocking rule whose pairs this session trained on. */
  rule: string;
  pairs: number;
  /** Comparisons left out because the rule blocks on their attribute. */
  fixed: string[];
  prior: number;
  iterations: number;
  converged: boolean;
}

export interface TrainedModel {
  params: ModelParams;
  iterations: number;
  converged: boolean;
  candidatePairs: number;
  method: 'sessions' | 'candidates' | 'file';
  sessions: TrainingSession[];
}

/** Random pairs drawn in fixed chunks, so the sample is the same for any number of threads. */
const U_CHUNKS = 8;

/**
 * Unsupervised training. u-probabilities come from random pairs, which almost never match.
 * With `sessions` (the default, as Splink does) m comes from expectation–maximisation on the
 * pairs of each blocking rule in turn, leaving out the comparisons that rule blocks on (they
 * agree by construction there), averaged over the sessions that trained each comparison;
 * a last pass over all candidate pairs estimates the prior. With `candidates`, one EM over
 * all candidate pairs estimates m, u and the prior together.
 */
export async function trainModel(runner: ShardRunner, plan: MatchPlan, settings: Pick<Settings, 'model' | 'blocking'>): Promise<TrainedModel> {
  const perChunk = Math.ceil(settings.model.randomPairs / U_CHUNKS);
  const order = samplingOrder(plan.data, plan.sources);
  const chunks = await Promise.all(
    Array.from({ length: U_CHUNKS }, (_, c) => runner.sampleLevels(plan.data, perChunk, settings.model.seed + c, order)),
  );
  const uCounts = plan.levels.map((l, k) => {
    const sum = new Float64Array(l.levels.length);
    for (const chunk of chunks) for (let v = 0; v < sum.length; v++) sum[v]! += chunk[k]![v]!;
    return sum;
  });
  const combined = mergeHistograms(await Promise.all(plan.blocks.shards.map((shard) => runner.histogram(plan.data, shard))));
  const slots = plan.data.ruleCount + 1;
  const candidates = histogramSlot(combined, slots, 0);
  const initial = initialParams(plan.levels, uCounts, settings.model.prior ?? 0.1);
  const options = { maxIterations: settings.model.maxIterations, fixedPrior: settings.model.prior };
  if (settings.model.training === 'candidates') {
    const em = trainEm(candidates, plan.codec, initial, options);
    return { ...em, candidatePairs: candidates.pairs, method: 'candidates', sessions: [] };
  }
  const K = plan.levels.length;
  const mSums = plan.levels.map((l) => new Float64Array(l.levels.length));
  const trainedBy = new Int32Array(K);
  const sessions: TrainingSession[] = [];
  settings.blocking.rules.forEach((parts, r) => {
    const rule = parseBlockingRule(parts);
    const blocked = new Set(rule.parts.map((p) => p.attribute));
    const ignore = plan.data.comparisons.map((c) => blocked.has(c.attribute));
    const pairs = histogramSlot(combined, slots, r + 1);
    if (pairs.pairs === 0 || ignore.every(Boolean)) return;
    const em = trainEm(pairs, plan.codec, initial, { maxIterations: settings.model.maxIterations, fixU: true, ignore });
    sessions.push({
      rule: rule.label, pairs: pairs.pairs, prior: em.params.prior, iterations: em.iterations, converged: em.converged,
      fixed: plan.data.comparisons.filter((_, k) => ignore[k]).map((c) => c.label),
    });
    em.params.comparisons.forEach((c, k) => {
      if (ignore[k]) return;
      trainedBy[k]!++;
      c.levels.forEach((level, l) => (mSums[k]![l]! += level.m ?? 0));
    });
  });
  const averaged = structuredClone(initial);
  averaged.comparisons.forEach((c, k) => {
    if (trainedBy[k] === 0) return;
    c.levels.forEach((level, l) => {
      if (l > 0) level.m = mSums[k]![l]! / trainedBy[k]!;
    });
  });
  // The prior (and m of any comparison no session could train) over all candidate pairs.
  const fixM = Array.from(trainedBy, (n) => n > 0);
  const final = trainEm(candidates, plan.codec, averaged, { ...options, fixU: true, fixM });
  return {
    params: final.params,
    iterations: final.iterations + sessions.reduce((n, s) => n + s.iterations, 0),
    converged: final.converged && sessions.every((s) => s.converged),
    candidatePairs: candidates.pairs,
    method: 'sessions',
    sessions,
  };
}

/** The match and review thresholds as match weights, whichever way settings give them. */
export function thresholdWeights(thresholds: Settings['thresholds']): { matchWeight: number; reviewWeight: number } {
  if (thresholds.matchWeight !== undefined && thresholds.reviewWeight !== undefined) {
    return { matchWeight: thresholds.matchWeight, reviewWeight: thresholds.reviewWeight };
  }
  return { matchWeight: weightFromProbability(thresholds.match), reviewWeight: weightFromProbability(thresholds.review) };
}

/** The weights scoring reads, from a model's parameters. */
export function scoreWeights(params: ModelParams, min: number): ScoreWeights {
  return {
    levels: levelWeights(params),
    exactLog2M: Float64Array.from(params.comparisons, (c) => log2(Math.max(c.levels[EXACT_LEVEL]?.m ?? 1, PROBABILITY_FLOOR))),
    prior: priorWeight(params.prior),
    min,
  };
}

export interface ScoredCandidates {
  left: Uint32Array;
  right: Uint32Array;
  weight: Float32Array;
  candidatePairs: number;
  matchWeight: number;
  reviewWeight: number;
}

/**
 * Scores all candidate pairs and keeps those at or above the review threshold (or `keepFrom`,
 * when an evaluation wants every pair), in shard order.
 */
export async function scoreCandidates(
  runner: ShardRunner,
  plan: MatchPlan,
  params: ModelParams,
  thresholds: Settings['thresholds'],
  keepFrom?: number,
): Promise<ScoredCandidates> {
  const { matchWeight, reviewWeight } = thresholdWeights(thresholds);
  const weights = scoreWeights(params, keepFrom ?? reviewWeight);
  const parts = await Promise.all(plan.blocks.shards.map((shard) => runner.score(plan.data, shard, weights)));
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
  return { left, right, weight, candidatePairs, matchWeight, reviewWeight };
}
