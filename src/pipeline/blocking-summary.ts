import type { BlockPlan } from '../block/plan-blocks.js';
import type { Settings } from '../config/settings-schema.js';

export interface BlockingSummary {
  rules: Array<{ rule: string; blocks: number; rawPairs: number; largest: number }>;
  rawPairs: number;
  /** The largest blocks skipped for their size, largest first (at most 50). */
  oversized: Array<{ rule: string; key: string; records: number }>;
}

const OVERSIZED_LISTED = 50;

/**
 * What a run's blocking proposed, from the plan it scores: the block stage no longer
 * groups the blocking keys in Postgres a second time (15 s of a million-record run).
 */
export function blockingSummary(plan: BlockPlan, settings: Settings): BlockingSummary {
  const label = (r: number) => settings.blocking.rules[r]?.join(' & ') ?? String(r);
  return {
    rules: plan.rules.map((r, i) => ({ rule: label(i), ...r })),
    rawPairs: plan.rawPairs,
    oversized: [...plan.oversized]
      .sort((a, b) => b.records - a.records || a.rule - b.rule || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, OVERSIZED_LISTED)
      .map((o) => ({ rule: label(o.rule), key: o.key.replace(/\u001f/g, ' | '), records: o.records })),
  };
}
