import { describe, expect, it } from 'vitest';
import { connectedComponents, UnionFind } from '../../src/cluster/union-find.js';
import { seededRandom } from '../../src/model/random.js';
import { shuffled } from '../helpers/shuffled.js';

function components(n: number, edges: Array<[number, number]>): number[] {
  return Array.from(connectedComponents(n, edges.map((e) => e[0]), edges.map((e) => e[1])));
}

/** Labels by graph search: each record's label is the smallest index it can reach. */
function referenceLabels(n: number, edges: Array<[number, number]>): number[] {
  const adjacent = Array.from({ length: n }, () => [] as number[]);
  for (const [a, b] of edges) {
    adjacent[a]!.push(b);
    adjacent[b]!.push(a);
  }
  const labels = new Array<number>(n).fill(-1);
  for (let start = 0; start < n; start++) {
    if (labels[start] !== -1) continue;
    const stack = [start];
    labels[start] = start;
    while (stack.length > 0) {
      const x = stack.pop()!;
      for (const y of adjacent[x]!) {
        if (labels[y] === -1) {
          labels[y] = start;
          stack.push(y);
        }
      }
    }
  }
  return labels;
}

describe('connectedComponents', () => {
  it.each<[string, number, Array<[number, number]>, number[]]>([
    ['no records', 0, [], []],
    ['no edges', 4, [], [0, 1, 2, 3]],
    ['one pair', 3, [[2, 1]], [0, 1, 1]],
    ['a chain given from its far end', 5, [[4, 3], [3, 2], [2, 1]], [0, 1, 1, 1, 1]],
    ['two components and a singleton', 6, [[5, 3], [1, 4], [4, 0]], [0, 0, 2, 3, 0, 3]],
    ['a self loop', 2, [[1, 1]], [0, 1]],
    ['repeated and reversed edges', 3, [[0, 2], [2, 0], [0, 2]], [0, 1, 0]],
    ['a star on the highest index', 5, [[4, 0], [4, 3], [4, 1]], [0, 0, 2, 0, 0]],
  ])('%s', (_label, n, edges, labels) => {
    expect(components(n, edges)).toEqual(labels);
  });

  it('labels with the smallest index whatever the edge order and direction', () => {
    const random = seededRandom(17);
    for (let round = 0; round < 30; round++) {
      const n = 20 + Math.floor(random() * 80);
      const edges: Array<[number, number]> = Array.from({ length: Math.floor(random() * n) }, () => [
        Math.floor(random() * n),
        Math.floor(random() * n),
      ]);
      const expected = referenceLabels(n, edges);
      expect(components(n, edges)).toEqual(expected);
      for (let s = 0; s < 5; s++) {
        const reordered = shuffled(edges, random).map(([a, b]): [number, number] => (random() < 0.5 ? [b, a] : [a, b]));
        expect(components(n, reordered)).toEqual(expected);
      }
    }
  });

  it('accepts typed arrays', () => {
    const labels = connectedComponents(4, Uint32Array.from([3, 1]), Uint32Array.from([2, 3]));
    expect(Array.from(labels)).toEqual([0, 1, 1, 1]);
  });
});

describe('UnionFind', () => {
  it('reports whether a union joined two sets', () => {
    const uf = new UnionFind(4);
    expect(uf.union(0, 1)).toBe(true);
    expect(uf.union(1, 0)).toBe(false);
    expect(uf.union(2, 3)).toBe(true);
    expect(uf.find(0)).toBe(uf.find(1));
    expect(uf.find(0)).not.toBe(uf.find(2));
    expect(uf.union(1, 3)).toBe(true);
    expect(new Set([0, 1, 2, 3].map((x) => uf.find(x))).size).toBe(1);
  });
});
