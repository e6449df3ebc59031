import type { SurvivorshipRule } from '../config/settings-schema.js';
import type { Attributes } from '../model/attributes.js';
import { tieBreak, type Candidate } from './candidate.js';
import { applyRule } from './rules.js';
import { isoInstant } from '../model/iso-time.js';

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
  /** When the source last changed the record the value came from (ISO 8601), when it says. */
  updatedAt: string | null;
  /** How many member records offered a value. */
  candidates: number;
  /** `aggregate` only: every distinct value, with the records (source:id) that hold it. */
  values?: Array<{ value: string; sources: string[] }>;
}

/** Per attribute, where its golden value came from. */
export type Lineage = Record<string, LineageEntry>;

export interface SurvivedRecord {
  attrs: Attributes;
  lineage: Lineage;
}

export interface SurvivorshipPolicy {
  attributes: ReadonlyArray<string>;
  defaultRule: SurvivorshipRule;
  rules: Readonly<Record<string, SurvivorshipRule>>;
  trust: Readonly<Record<string, number>>;
  /** Per source, trust for single attributes where it differs from the source's. */
  attributeTrust?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * Builds a golden record attribute by attribute, keeping where each value came from. Keys
 * come out in sorted order (attributes, and the fields of each lineage entry), so that the
 * plain JSON of the result is already canonical and hashing it needs no second pass.
 */
export function surviveCluster(members: ReadonlyArray<MemberRecord>, policy: SurvivorshipPolicy): SurvivedRecord {
  if (members.length === 1) return surviveRecord(members[0]!, policy);
  const attrs: Attributes = {};
  const lineage: Lineage = {};
  for (const attribute of sortedAttributes(policy)) {
    const candidates: Candidate[] = [];
    for (const m of members) {
      const value = m.attrs[attribute];
      if (value === null || value === undefined || value === '') continue;
      const trust = policy.attributeTrust?.[m.source]?.[attribute] ?? policy.trust[m.source] ?? 0.5;
      candidates.push({ value, source: m.source, sourceId: m.sourceId, recordId: m.recordId, updatedAt: m.updatedAt, trust });
    }
    const rule = policy.rules[attribute] ?? policy.defaultRule;
    const winner = applyRule(rule, candidates);
    attrs[attribute] = winner ? winner.value : null;
    if (!winner) continue;
    const entry: LineageEntry = {
      candidates: candidates.length, rule: rule.rule, source: winner.source, sourceId: winner.sourceId,
      updatedAt: winner.updatedAt === null ? null : isoTime(winner.updatedAt),
    };
    if (rule.rule === 'aggregate') entry.values = distinctValues(candidates, winner.value);
    lineage[attribute] = entry;
  }
  return { attrs, lineage };
}

/**
 * A cluster of one record, as surviveCluster builds it (every rule keeps the only value
 * offered), without weighing candidates: most golden records have one member, and building
 * and ranking a candidate per attribute was most of what surviving them cost.
 */
function surviveRecord(member: MemberRecord, policy: SurvivorshipPolicy): SurvivedRecord {
  const attrs: Attributes = {};
  const lineage: Lineage = {};
  const updatedAt = member.updatedAt === null ? null : isoTime(member.updatedAt);
  for (const attribute of sortedAttributes(policy)) {
    const value = member.attrs[attribute];
    if (value === null || value === undefined || value === '') {
      attrs[attribute] = null;
      continue;
    }
    attrs[attribute] = value;
    const rule = (policy.rules[attribute] ?? policy.defaultRule).rule;
    const entry: LineageEntry = { candidates: 1, rule, source: member.source, sourceId: member.sourceId, updatedAt };
    if (rule === 'aggregate') entry.values = [{ sources: [`${member.source}:${member.sourceId}`], value }];
    lineage[attribute] = entry;
  }
  return { attrs, lineage };
}

/** The chosen value first, then by how many records hold each, then alphabetically; sources in tie-break order. */
function distinctValues(candidates: ReadonlyArray<Candidate>, chosen: string): Array<{ value: string; sources: string[] }> {
  const byValue = new Map<string, Candidate[]>();
  for (const c of candidates) (byValue.get(c.value) ?? byValue.set(c.value, []).get(c.value)!).push(c);
  return [...byValue]
    .sort(([a, x], [b, y]) => Number(b === chosen) - Number(a === chosen) || y.length - x.length || (a < b ? -1 : a > b ? 1 : 0))
    .map(([value, holders]) => ({ sources: [...holders].sort(tieBreak).map((c) => `${c.source}:${c.sourceId}`), value }));
}

let lastMs = Number.NaN;
let lastIso = '';

/** A cluster's attributes mostly come from one record: its change time is formatted once, not per attribute. */
function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = isoInstant(ms);
    lastMs = ms;
  }
  return lastIso;
}

const sortedByPolicy = new WeakMap<SurvivorshipPolicy, ReadonlyArray<string>>();

function sortedAttributes(policy: SurvivorshipPolicy): ReadonlyArray<string> {
  let sorted = sortedByPolicy.get(policy);
  if (!sorted) sortedByPolicy.set(policy, (sorted = [...policy.attributes].sort()));
  return sorted;
}
