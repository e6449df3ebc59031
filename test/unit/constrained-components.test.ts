import { describe, expect, it } from 'vitest';
import { constrainedComponents, type Constraints } from '../../src/cluster/constrained-components.js';
import { connectedComponents } from '../../src/cluster/union-find.js';

type Edge = [number, number, number];

function clusters(n: number, edges: Edge[], constraints: Partial<Constraints> = {}) {
  const out = constrainedComponents(n, edges.map((e) => e[0]), edges.map((e) => e[1]), edges.map((e) => e[2]), {
    mustLink: constraints.mustLink ?? [], cannotLink: constraints.cannotLink ?? [],
  });
  return { labels: Array.from(out.labels), blocked: out.blockedPairs, conflicts: out.conflictingDecisions };
}

describe('clusters under operator decisions', () => {
  it('equals plain connected components without decisions', () => {
    const edges: Edge[] = [[0, 1, 5], [2, 3, 9], [3, 4, 1], [6, 5, 2]];
    const plain = connectedComponents(7, edges.map((e) => e[0]), edges.map((e) => e[1]));
    expect(clusters(7, edges)).toEqual({ labels: Array.from(plain), blocked: 0, conflicts: 0 });
  });

  it('keeps two records decided different apart, breaking the chain at its weakest pair', () => {
    // 0 - 1 - 2 - 3 with 1-2 the weakest link; 0 and 3 are different customers.
    const edges: Edge[] = [[0, 1, 12], [1, 2, 3], [2, 3, 10]];
    expect(clusters(4, edges)).toMatchObject({ labels: [0, 0, 0, 0] });
    expect(clusters(4, edges, { cannotLink: [[0, 3]] })).toEqual({ labels: [0, 0, 2, 2], blocked: 1, conflicts: 0 });
    // The weakest pair elsewhere: 2-3 goes instead.
    const other: Edge[] = [[0, 1, 12], [1, 2, 10], [2, 3, 3]];
    expect(clusters(4, other, { cannotLink: [[3, 0]] })).toEqual({ labels: [0, 0, 0, 3], blocked: 1, conflicts: 0 });
  });

  it('does not depend on the order of pairs or decisions', () => {
    const edges: Edge[] = [[0, 1, 7], [1, 2, 7], [2, 3, 7], [3, 4, 2], [4, 5, 9]];
    const cannotLink: Array<[number, number]> = [[0, 5], [1, 3]];
    const expected = clusters(6, edges, { cannotLink });
    expect(clusters(6, [...edges].reverse(), { cannotLink: [...cannotLink].reverse() })).toEqual(expected);
    expect(clusters(6, [edges[2]!, edges[0]!, edges[4]!, edges[1]!, edges[3]!], { cannotLink })).toEqual(expected);
  });

  it('joins records decided the same even without a match pair', () => {
    expect(clusters(4, [[0, 1, 5]], { mustLink: [[1, 3]] })).toEqual({ labels: [0, 0, 2, 0], blocked: 0, conflicts: 0 });
  });

  it('lets a cannot-link win over a must-link that contradicts it, and counts the conflict', () => {
    const result = clusters(3, [], { mustLink: [[0, 1], [1, 2]], cannotLink: [[0, 2]] });
    expect(result).toEqual({ labels: [0, 0, 2], blocked: 0, conflicts: 1 });
  });

  it('keeps a cannot-link across clusters that grow from both sides', () => {
    // 0's and 5's clusters each grow, then the pair between them is refused.
    const edges: Edge[] = [[0, 1, 9], [4, 5, 9], [1, 2, 8], [3, 4, 8], [2, 3, 1]];
    expect(clusters(6, edges, { cannotLink: [[0, 5]] })).toEqual({ labels: [0, 0, 0, 3, 3, 3], blocked: 1, conflicts: 0 });
  });
});
