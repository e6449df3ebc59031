import { smallestLabels, UnionFind } from './union-find.js';

export interface Constraints {
  /** Record index pairs an operator said are the same customer. */
  mustLink: ReadonlyArray<readonly [number, number]>;
  /** Record index pairs an operator said are different customers. */
  cannotLink: ReadonlyArray<readonly [number, number]>;
}

export interface ConstrainedClusters {
  /** Per record, the smallest record index of its cluster. */
  labels: Int32Array;
  /** Match pairs left unlinked because they would join records decided different. */
  blockedPairs: number;
  /** Must-links left out because they contradict a cannot-link. */
  conflictingDecisions: number;
}

/**
 * Connected components of the match pairs under operator decisions: must-links join first,
 * then match pairs from the strongest weight down, and no join may put two records of a
 * cannot-link in one cluster. Strongest first means the pair that breaks a chain is the
 * weakest one. Ties go by index, so the result never depends on input order.
 */
export function constrainedComponents(
  n: number, left: ArrayLike<number>, right: ArrayLike<number>, weight: ArrayLike<number>, constraints: Constraints,
): ConstrainedClusters {
  const uf = new UnionFind(n);
  // Per cluster root, the records it must never share a cluster with; few records have any.
  const apart = new Map<number, number[]>();
  for (const [a, b] of constraints.cannotLink) {
    (apart.get(a) ?? apart.set(a, []).get(a)!).push(b);
    (apart.get(b) ?? apart.set(b, []).get(b)!).push(a);
  }
  const join = (a: number, b: number): boolean => {
    const ra = uf.find(a);
    const rb = uf.find(b);
    if (ra === rb) return true;
    const fromA = apart.get(ra);
    const fromB = apart.get(rb);
    if (fromA?.some((x) => uf.find(x) === rb) || fromB?.some((x) => uf.find(x) === ra)) return false;
    uf.union(ra, rb);
    const root = uf.find(ra);
    if (fromA || fromB) {
      apart.delete(ra);
      apart.delete(rb);
      apart.set(root, [...(fromA ?? []), ...(fromB ?? [])]);
    }
    return true;
  };
  let conflictingDecisions = 0;
  const musts = [...constraints.mustLink].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  for (const [a, b] of musts) if (!join(a, b)) conflictingDecisions++;
  let order: ArrayLike<number> | null = null;
  if (apart.size > 0) {
    const edges = Int32Array.from({ length: left.length }, (_, e) => e);
    edges.sort((x, y) => weight[y]! - weight[x]! || left[x]! - left[y]! || right[x]! - right[y]!);
    order = edges;
  }
  let blockedPairs = 0;
  for (let k = 0; k < left.length; k++) {
    const e = order ? order[k]! : k;
    if (!join(left[e]!, right[e]!)) blockedPairs++;
  }
  const labels = smallestLabels(uf, n);
  return { labels, blockedPairs, conflictingDecisions };
}
