import type { Vote } from './assign-golden-ids.js';

export type LifecycleEventKind = 'mint' | 'split' | 'merge' | 'retire';

export interface LifecycleEvent {
  event: LifecycleEventKind;
  goldenId: string;
  /** split: the id the rest of the entity kept; merge: the id it merged into. */
  relatedId: string | null;
  records: number;
  reason: string;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The mint, split and merge events of one commit, from the clusters' claims on existing
 * ids (`votes`) and the ids they were given (`assignment`). A cluster given a new id is a
 * split when it holds records of an id that another cluster kept, else a new entity. An
 * id no cluster kept is merged into the id now holding most of its records (ties: the
 * smaller id). Ids with no record in the run at all are retired elsewhere (`retireEvent`).
 */
export function lifecycleEvents(votes: ReadonlyArray<Vote>, assignment: ReadonlyMap<number, string>, sizes: ReadonlyMap<number, number>): LifecycleEvent[] {
  const claimed = new Set(votes.map((v) => v.goldenId));
  const votesByCluster = new Map<number, Vote[]>();
  const votesById = new Map<string, Vote[]>();
  for (const v of votes) {
    (votesByCluster.get(v.clusterKey) ?? votesByCluster.set(v.clusterKey, []).get(v.clusterKey)!).push(v);
    (votesById.get(v.goldenId) ?? votesById.set(v.goldenId, []).get(v.goldenId)!).push(v);
  }
  const events: LifecycleEvent[] = [];
  for (const [clusterKey, goldenId] of assignment) {
    if (claimed.has(goldenId)) continue;
    const size = sizes.get(clusterKey) ?? 0;
    const parents = (votesByCluster.get(clusterKey) ?? []).sort((a, b) => b.records - a.records || byId(a.goldenId, b.goldenId));
    const parent = parents[0];
    if (!parent) {
      events.push({ event: 'mint', goldenId, relatedId: null, records: size, reason: `new entity of ${plural(size, 'source record')}` });
    } else {
      const moved = parents.reduce((n, p) => n + p.records, 0);
      const from = parents.map((p) => p.goldenId).join(', ');
      events.push({ event: 'split', goldenId, relatedId: parent.goldenId, records: moved, reason: `split from ${from}: ${plural(moved, 'record')} moved out` });
    }
  }
  // Only ids with votes can merge: a first commit, all mints, skips the set of every id.
  const kept = votesById.size === 0 ? new Set<string>() : new Set(assignment.values());
  for (const [goldenId, claims] of votesById) {
    if (kept.has(goldenId)) continue;
    const winner = [...claims].sort((a, b) => b.records - a.records || byId(assignment.get(a.clusterKey)!, assignment.get(b.clusterKey)!))[0]!;
    const into = assignment.get(winner.clusterKey)!;
    const records = claims.reduce((n, c) => n + c.records, 0);
    events.push({ event: 'merge', goldenId, relatedId: into, records, reason: `merged into ${into}: ${plural(winner.records, 'record')} of its ${records} now match ${into}'s` });
  }
  return events.sort((a, b) => byId(a.goldenId, b.goldenId));
}

/** An id none of whose source records is a live customer record any more. */
export function retireEvent(goldenId: string, records: number): LifecycleEvent {
  return { event: 'retire', goldenId, relatedId: null, records, reason: `no live source record: ${plural(records, 'record')} deleted at the source or no longer customers` };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
