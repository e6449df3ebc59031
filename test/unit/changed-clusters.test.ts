import { describe, expect, it } from 'vitest';
import { changedClusters } from '../../src/golden/changed-clusters.js';

describe('changedClusters', () => {
  // Records 0-1 are golden A (2 members), 2 is golden B (1 member), 3-4 are golden C (2 members).
  const [A, B, C] = [0, 1, 2];
  const golden = [A, A, B, C, C];
  const memberCount = [2, 2, 1, 2, 2];
  const none = [false, false, false, false, false];

  it('leaves clusters that are exactly their committed golden record alone', () => {
    expect(changedClusters([0, 0, 2, 3, 3], { golden, memberCount, changed: none })).toEqual(new Set());
  });

  it('marks a cluster with a changed record', () => {
    expect(changedClusters([0, 0, 2, 3, 3], { golden, memberCount, changed: [false, false, false, false, true] })).toEqual(new Set([3]));
  });

  it('marks both sides when two golden records merge, and a cluster that lost a member', () => {
    // B joins A; C splits into two singletons.
    expect(changedClusters([0, 0, 0, 3, 4], { golden, memberCount, changed: none })).toEqual(new Set([0, 3, 4]));
  });

  it('marks a cluster holding a record not yet linked to any golden record', () => {
    expect(changedClusters([0, 0, 2, 3, 3, 5], {
      golden: [...golden, -1], memberCount: [...memberCount, 0], changed: [...none, false],
    })).toEqual(new Set([5]));
  });

  it('marks a cluster whose golden record had a member that is gone', () => {
    // Golden A counted three members; the third was deleted at the source.
    expect(changedClusters([0, 0, 2], { golden: [A, A, B], memberCount: [3, 3, 1], changed: [false, false, false] })).toEqual(new Set([0]));
  });
});
