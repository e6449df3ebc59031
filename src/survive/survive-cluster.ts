import type { SurvivorshipRule } from '../config/settings-schema.js';
import type { Attributes } from '../model/attributes.js';
import type { Candidate } from './candidate.js';
import { applyRule } from './rules.js';

export interface MemberRecord {
  recordId: number;
  source: string;
  sourceId: string;
  updatedAt: number | null;
  attrs: Attributes;
}

export interface LineageEntry {
  source: string;
  sourceId: string;
  rule: SurvivorshipRule['rule'];
  /** How many member records offered a value. */
  candidates: number;
}

export interface SurvivedRecord {
  attrs: Attributes;
  lineage: Record<string, LineageEntry>;
}

export interface SurvivorshipPolicy {
  attributes: ReadonlyArray<string>;
  defaultRule: SurvivorshipRule;
  rules: Readonly<Record<string, SurvivorshipRule>>;
  trust: Readonly<Record<string, number>>;
}

/** Builds a golden record attribute by attribute, keeping where each value came from. */
export function surviveCluster(members: ReadonlyArray<MemberRecord>, policy: SurvivorshipPolicy): SurvivedRecord {
  const attrs: Attributes = {};
  const lineage: Record<string, LineageEntry> = {};
  for (const attribute of policy.attributes) {
    const candidates: Candidate[] = [];
    for (const m of members) {
      const value = m.attrs[attribute];
      if (value === null || value === undefined || value === '') continue;
      candidates.push({ value, source: m.source, sourceId: m.sourceId, recordId: m.recordId, updatedAt: m.updatedAt, trust: policy.trust[m.source] ?? 0.5 });
    }
    const rule = policy.rules[attribute] ?? policy.defaultRule;
    const winner = applyRule(rule, candidates);
    attrs[attribute] = winner ? winner.value : null;
    if (winner) lineage[attribute] = { source: winner.source, sourceId: winner.sourceId, rule: rule.rule, candidates: candidates.length };
  }
  return { attrs, lineage };
}
