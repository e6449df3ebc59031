import { UnionFind } from '../cluster/union-find.js';
import type { GoldenCandidate } from './types.js';

export interface AcquiredLinks {
  /** Acquired customer records, indexed 0..count-1 in the order they were read. */
  count: number;
  /** Per acquired record: golden id → best pair probability with any of its records (review band or above). */
  toGolden: ReadonlyArray<ReadonlyMap<string, number>>;
  /** Pairs of acquired records at or above the match threshold: [a, b, probability]. */
  within: ReadonlyArray<readonly [number, number, number]>;
  match: number;
  review: number;
}

export type LinkStatus = 'matched' | 'new' | 'ambiguous' | 'duplicate';

export interface LinkDecision {
  status: LinkStatus;
  goldenId: string | null;
  probability: number | null;
  candidates: GoldenCandidate[];
  /** duplicate: the index of the record that represents its group. */
  duplicateOf: number | null;
}

const byLikelihood = (a: GoldenCandidate, b: GoldenCandidate) =>
  b.probability - a.probability || (a.goldenId < b.goldenId ? -1 : a.goldenId > b.goldenId ? 1 : 0);

/**
 * Decides what each acquired record is to the master. Acquired records that match each other
 * form a group (one customer with two accounts); the group's first record speaks for it and
 * the others are its duplicates. A group is matched when exactly one golden record reaches
 * the match threshold, ambiguous when two or more do, or when none does but some golden
 * record is plausible (review band): a person should look. Otherwise it is new.
 */
export function linkAcquired(input: AcquiredLinks): LinkDecision[] {
  const groups = new UnionFind(input.count);
  const bestWithin = new Float64Array(input.count);
  for (const [a, b, p] of input.within) {
    groups.union(a, b);
    bestWithin[a] = Math.max(bestWithin[a]!, p);
    bestWithin[b] = Math.max(bestWithin[b]!, p);
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < input.count; i++) {
    const root = groups.find(i);
    (members.get(root) ?? members.set(root, []).get(root)!).push(i);
  }
  const out = new Array<LinkDecision>(input.count);
  for (const list of members.values()) {
    const golden = new Map<string, number>();
    for (const i of list) for (const [id, p] of input.toGolden[i]!) golden.set(id, Math.max(golden.get(id) ?? 0, p));
    const candidates = [...golden].map(([goldenId, probability]) => ({ goldenId, probability }))
      .filter((c) => c.probability >= input.review).sort(byLikelihood);
    const strong = candidates.filter((c) => c.probability >= input.match);
    const lead = list[0]!;
    let head: LinkDecision;
    if (strong.length === 1) head = { status: 'matched', goldenId: strong[0]!.goldenId, probability: strong[0]!.probability, candidates, duplicateOf: null };
    else if (candidates.length > 0) head = { status: 'ambiguous', goldenId: null, probability: null, candidates, duplicateOf: null };
    else head = { status: 'new', goldenId: null, probability: null, candidates: [], duplicateOf: null };
    out[lead] = head;
    for (const i of list.slice(1)) {
      out[i] = { status: 'duplicate', goldenId: head.goldenId, probability: bestWithin[i]!, candidates: [], duplicateOf: lead };
    }
  }
  return out;
}
