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
    case 'aggregate':
      return mostTrusted(candidates);
    case 'min':
      return best(candidates, (a, b) => compareValues(a.value, b.value));
    case 'max':
      return best(candidates, (a, b) => compareValues(b.value, a.value));
    case 'trustDecay':
      return trustDecay(candidates, rule.halfLifeDays);
  }
}

/** `aggregate` keeps every value (in the lineage); the golden value itself is the most trusted one. */
export function mostTrusted(candidates: ReadonlyArray<Candidate>): Candidate | null {
  return best(candidates, () => 0);
}

/** Numbers by value, anything else (ISO dates included) as text. */
export function compareValues(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

const DAY_MS = 86_400_000;

/**
 * The source's trust, halved for every `halfLifeDays` of the record's age. Compared as
 * logarithms, which makes the order independent of the day the run happens: two values'
 * relative standing depends only on their trust and how far apart they were changed.
 * Undated records come last.
 */
export function trustDecay(candidates: ReadonlyArray<Candidate>, halfLifeDays: number): Candidate | null {
  const score = (c: Candidate) => (c.updatedAt === null ? -Infinity : Math.log(Math.max(c.trust, 1e-12)) + (Math.LN2 * c.updatedAt) / (halfLifeDays * DAY_MS));
  return best(candidates, (a, b) => {
    const d = score(b) - score(a);
    return Number.isNaN(d) ? 0 : d;
  });
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
