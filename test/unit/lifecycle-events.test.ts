import { describe, expect, it } from 'vitest';
import { assignGoldenIds, type Vote } from '../../src/golden/assign-golden-ids.js';
import { lifecycleEvents, retireEvent } from '../../src/golden/lifecycle-events.js';

/** Clusters (key → size) and their claims on existing ids, through the real id assignment. */
function eventsFor(sizes: Record<number, number>, votes: Vote[]) {
  const keys = Object.keys(sizes).map(Number);
  const assignment = assignGoldenIds(keys, votes, (key) => `NEW${key}`);
  const events = lifecycleEvents(votes, assignment, new Map(keys.map((k) => [k, sizes[k]!])));
  return { assignment, events: events.map(({ event, goldenId, relatedId, records }) => ({ event, goldenId, relatedId, records })) };
}

describe('golden id lifecycle events', () => {
  it('mints for a cluster with no earlier id, and says nothing of an id that stays whole', () => {
    const { events } = eventsFor({ 1: 2, 5: 3 }, [{ clusterKey: 1, goldenId: 'A', records: 2 }]);
    expect(events).toEqual([{ event: 'mint', goldenId: 'NEW5', relatedId: null, records: 3 }]);
  });

  it('retires the smaller id of a merge into the one that kept most records', () => {
    const { events } = eventsFor({ 1: 5 }, [{ clusterKey: 1, goldenId: 'A', records: 3 }, { clusterKey: 1, goldenId: 'B', records: 2 }]);
    expect(events).toEqual([{ event: 'merge', goldenId: 'B', relatedId: 'A', records: 2 }]);
  });

  it('keeps the id on the larger part of a split and mints for the rest, naming the parent', () => {
    const { assignment, events } = eventsFor({ 1: 3, 2: 1 }, [{ clusterKey: 1, goldenId: 'A', records: 3 }, { clusterKey: 2, goldenId: 'A', records: 1 }]);
    expect(assignment.get(1)).toBe('A');
    expect(events).toEqual([{ event: 'split', goldenId: 'NEW2', relatedId: 'A', records: 1 }]);
  });

  it('merges an id whose records went several ways into the cluster holding most of them', () => {
    // B's records: 1 with A's cluster, 2 with C's; A and C keep their ids, B merges into C.
    const { events } = eventsFor({ 1: 4, 2: 6 }, [
      { clusterKey: 1, goldenId: 'A', records: 3 }, { clusterKey: 1, goldenId: 'B', records: 1 },
      { clusterKey: 2, goldenId: 'C', records: 4 }, { clusterKey: 2, goldenId: 'B', records: 2 },
    ]);
    expect(events).toEqual([{ event: 'merge', goldenId: 'B', relatedId: 'C', records: 3 }]);
  });

  it('breaks a tie between successors on the smaller id, whatever the input order', () => {
    const votes: Vote[] = [
      { clusterKey: 1, goldenId: 'A', records: 5 }, { clusterKey: 1, goldenId: 'M', records: 1 },
      { clusterKey: 2, goldenId: 'Z', records: 5 }, { clusterKey: 2, goldenId: 'M', records: 1 },
    ];
    expect(eventsFor({ 1: 6, 2: 6 }, votes).events).toEqual([{ event: 'merge', goldenId: 'M', relatedId: 'A', records: 2 }]);
    expect(eventsFor({ 1: 6, 2: 6 }, [...votes].reverse()).events).toEqual([{ event: 'merge', goldenId: 'M', relatedId: 'A', records: 2 }]);
  });

  it('says why in words a downstream team can read', () => {
    const assignment = new Map([[1, 'A'], [2, 'NEW2']]);
    const [split] = lifecycleEvents([{ clusterKey: 1, goldenId: 'A', records: 2 }, { clusterKey: 2, goldenId: 'A', records: 1 }], assignment, new Map([[1, 2], [2, 1]]));
    expect(split!.reason).toBe('split from A: 1 record moved out');
    expect(retireEvent('X', 2)).toMatchObject({ event: 'retire', goldenId: 'X', relatedId: null, records: 2 });
    expect(retireEvent('X', 2).reason).toContain('no live source record');
  });
});
