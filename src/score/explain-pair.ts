import { parseBlockingRule } from '../block/blocking-rules.js';
import { valueOf } from '../model/columns.js';
import { compileComparison, EXACT_LEVEL } from './comparison.js';
import type { MatchPlan } from './engine.js';
import { levelWeights, log2, priorWeight, probabilityFromWeight, PROBABILITY_FLOOR, type ModelParams } from './fellegi-sunter.js';

export interface WaterfallStep {
  label: string;
  left: string | null;
  right: string | null;
  level: number;
  levelLabel: string;
  /** This comparison's match weight for the pair (log2 of its Bayes factor). */
  weight: number;
  /** Set when an exact agreement was weighed by how common the value is. */
  termFrequency?: { valueShare: number };
  /** Running total after this step, starting from the prior's weight. */
  total: number;
}

export interface Waterfall {
  priorWeight: number;
  steps: WaterfallStep[];
  weight: number;
  probability: number;
  /** Blocking rules that make the pair a candidate; empty when scoring would never see it. */
  blockedBy: string[];
}

/**
 * How the model arrives at one pair's score: the prior, then each comparison's level and
 * weight with the running total, exactly as scoring adds them up.
 */
export function explainPair(plan: MatchPlan, params: ModelParams, rules: ReadonlyArray<ReadonlyArray<string>>, i: number, j: number): Waterfall {
  const { data } = plan;
  const weights = levelWeights(params);
  const prior = priorWeight(params.prior);
  let total = prior;
  const steps = data.comparisons.map((spec, k) => {
    const level = compileComparison(data, k)(i, j);
    const column = data.columns[spec.attribute]!;
    const tf = data.features[k]!.tfLog2;
    let weight = weights[k]![level]!;
    let termFrequency: WaterfallStep['termFrequency'];
    if (level === EXACT_LEVEL && tf) {
      const share = tf[column.ids[i]!]!;
      weight = log2(Math.max(params.comparisons[k]!.levels[EXACT_LEVEL]!.m ?? 1, PROBABILITY_FLOOR)) - share;
      termFrequency = { valueShare: 2 ** share };
    }
    total += weight;
    return {
      label: spec.label, left: valueOf(column, i), right: valueOf(column, j), level,
      levelLabel: plan.levels[k]!.levels[level]!, weight, termFrequency, total,
    };
  });
  const blockedBy: string[] = [];
  for (let r = 0; r < data.ruleCount; r++) {
    const a = data.ruleKeys[i * data.ruleCount + r]!;
    if (a >= 0 && a === data.ruleKeys[j * data.ruleCount + r]) blockedBy.push(parseBlockingRule(rules[r]!).label);
  }
  return { priorWeight: prior, steps, weight: total, probability: probabilityFromWeight(total), blockedBy };
}
