import { describe, expect, it } from 'vitest';
import { assignGoldenIds, mintGoldenId, type Vote } from '../../src/golden/assign-golden-ids.js';
import { seededRandom } from '../../src/model/random.js';
import { shuffled } from '../helpers/shuffled.js';

const mint = (key: number) => `NEW-${key}`;

function assign(clusterKeys: number[], votes: Vote[]): Record<number, string> {
  return Object.fromEntries(assignGoldenIds(clusterKeys, votes, mint));
}

const cases: Array<[string, number[], Vote[], Record<number, string>]> = [
  ['new clusters get minted ids', [1, 2], [], { 1: 'NEW-1', 2: 'NEW-2' }],
  ['an unchanged cluster keeps its id', [1], [{ clusterKey: 1, goldenId: 'G1', records: 3 }], { 1: 'G1' }],
  ['a merge keeps the id with most records; the other is left unassigned', [7], [
    { clusterKey: 7, goldenId: 'G-small', records: 1 },
    { clusterKey: 7, goldenId: 'G-big', records: 4 },
  ], { 7: 'G-big' }],
  ['a split keeps the id on the larger part; the smaller part gets a minted id', [1, 2], [
    { clusterKey: 1, goldenId: 'G1', records: 2 },
    { clusterKey: 2, goldenId: 'G1', records: 5 },
  ], { 1: 'NEW-1', 2: 'G1' }],
  ['a merge tie keeps the smaller id', [3], [
    { clusterKey: 3, goldenId: 'G-b', records: 2 },
    { clusterKey: 3, goldenId: 'G-a', records: 2 },
  ], { 3: 'G-a' }],
  ['a split tie keeps the id on the smaller cluster key', [9, 4], [
    { clusterKey: 9, goldenId: 'G1', records: 3 },
    { clusterKey: 4, goldenId: 'G1', records: 3 },
  ], { 4: 'G1', 9: 'NEW-9' }],
  ['a merge and a split at once', [1, 2, 3], [
    // Cluster 1 merges G1 (3) and most of G2 (2); G2's other record is now cluster 2.
    { clusterKey: 1, goldenId: 'G1', records: 3 },
    { clusterKey: 1, goldenId: 'G2', records: 2 },
    { clusterKey: 2, goldenId: 'G2', records: 1 },
    // Cluster 3 is half of G3 and cluster 2 the other, bigger half.
    { clusterKey: 3, goldenId: 'G3', records: 1 },
    { clusterKey: 2, goldenId: 'G3', records: 4 },
  ], { 1: 'G1', 2: 'G3', 3: 'NEW-3' }],
  ['an id left over from a merge goes to the part that still holds it', [1, 2], [
    { clusterKey: 1, goldenId: 'G1', records: 5 },
    { clusterKey: 1, goldenId: 'G2', records: 4 },
    { clusterKey: 2, goldenId: 'G2', records: 1 },
  ], { 1: 'G1', 2: 'G2' }],
];

describe('assignGoldenIds', () => {
  it.each(cases)('%s', (_label, clusterKeys, votes, expected) => {
    expect(assign(clusterKeys, votes)).toEqual(expected);
  });

  it.each(cases)('%s: vote and cluster order do not change the result', (_label, clusterKeys, votes, expected) => {
    const random = seededRandom(votes.length + clusterKeys.length);
    for (let round = 0; round < 20; round++) {
      expect(assign(shuffled(clusterKeys, random), shuffled(votes, random))).toEqual(expected);
    }
  });

  it('never gives one id to two clusters, and gives every cluster an id', () => {
    const random = seededRandom(4);
    for (let round = 0; round < 50; round++) {
      const clusterKeys = Array.from({ length: 10 }, (_, i) => i * 3);
      const votes: Vote[] = [];
      for (const clusterKey of clusterKeys) {
        for (let g = 0; g < 6; g++) {
          if (random() < 0.3) votes.push({ clusterKey, goldenId: `G${g}`, records: 1 + Math.floor(random() * 4) });
        }
      }
      const result = assignGoldenIds(clusterKeys, votes, mint);
      expect([...result.keys()].sort((a, b) => a - b)).toEqual(clusterKeys);
      const ids = [...result.values()];
      expect(new Set(ids).size).toBe(ids.length);
      // Only ids a cluster voted for are kept.
      const kept = [...result].filter(([, id]) => !id.startsWith('NEW-'));
      expect(kept.every(([key, id]) => votes.some((v) => v.clusterKey === key && v.goldenId === id))).toBe(true);
      expect(Object.fromEntries(assignGoldenIds(shuffled(clusterKeys, random), shuffled(votes, random), mint))).toEqual(Object.fromEntries(result));
    }
  });

  it('mints only for clusters left without an id', () => {
    const minted: number[] = [];
    assignGoldenIds([1, 2, 3], [{ clusterKey: 2, goldenId: 'G', records: 1 }], (key) => {
      minted.push(key);
      return `NEW-${key}`;
    });
    expect(minted.sort()).toEqual([1, 3]);
  });
});

describe('mintGoldenId', () => {
  it('is deterministic for a run and cluster', () => {
    expect(mintGoldenId('run-1', 42)).toBe(mintGoldenId('run-1', 42));
  });

  it('mints the ids earlier versions minted, so a commit retried across an upgrade keeps them', () => {
    expect(mintGoldenId('run-1', 42)).toBe('GRFP61VPFP4XQ4QMC4');
    expect(mintGoldenId('rmx8dshsr2ffbe208', 123456789)).toBe('GRT53FATR0NGDH0VNR');
  });

  it('has the GR prefix and 16 Crockford-style base-32 characters', () => {
    expect(mintGoldenId('run-1', 42)).toMatch(/^GR[ABCDEFGHJKMNPQRSTVWXYZ0-9]{16}$/);
  });

  it('differs across runs and clusters', () => {
    const ids = new Set<string>();
    for (const run of ['run-1', 'run-2', 'run-3']) for (let key = 0; key < 200; key++) ids.add(mintGoldenId(run, key));
    expect(ids.size).toBe(600);
  });

  it.each([
    ['run-1', 1, 'run-1', 2],
    ['run-1', 1, 'run-2', 1],
    ['run-1', 12, 'run-11', 2], // "run-1:12" and "run-11:2" are different inputs
  ])('%s/%d differs from %s/%d', (runA, keyA, runB, keyB) => {
    expect(mintGoldenId(runA, keyA)).not.toBe(mintGoldenId(runB, keyB));
  });
});
