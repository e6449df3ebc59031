import type { SurvivorshipRule } from '../config/settings-schema.js';
import { best, type Candidate } from './candidate.js';

/**
 * Survivorship rules: each picks the candidate whose value the golden record keeps.
 * Ties fall through to the deterministic tie-break (trust, source, source id).
 */
export function applyRule(rule: SurvivorshipRule, candidates: ReadonlyArray<Candidate>): Candidate | null {
  switch (rule.rule) {
    case 'sourcePriority':
      return sourcePriority(candidates, rule.order);
    case 'mostRecent':
      return mostRecent(candidates);
    case 'mostFrequent':
      return mostFrequent(candidates);
    case 'longest':
      return longest(candidates);
  }
}

/** The first source in `order` that has a value; without an order, the most trusted source. */
export function sourcePriority(candidates: ReadonlyArray<Candidate>, order?: ReadonlyArray<string>): Candidate | null {
  const rank = (c: Candidate) => {
    const i = order ? order.indexOf(c.source) : -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return best(candidates, (a, b) => rank(a) - rank(b));
}

/** The value from the most recently changed record; records without a change time come last. */
export function mostRecent(candidates: ReadonlyArray<Candidate>): Candidate | null {
  return best(candidates, (a, b) => (b.updatedAt ?? -Infinity) - (a.updatedAt ?? -Infinity) || 0);
}

/** The value most records agree on. */
export function mostFrequent(candidates: ReadonlyArray<Candidate>): Candidate | null {
  const frequency = new Map<string, number>();
  for (const c of candidates) frequency.set(c.value, (frequency.get(c.value) ?? 0) + 1);
  return best(candidates, (a, b) => frequency.get(b.value)! - frequency.get(a.value)!);
}

/** The most complete value: the longest. */
export function longest(candidates: ReadonlyArray<Candidate>): Candidate | null {
  return best(candidates, (a, b) => b.value.length - a.value.length);
}
