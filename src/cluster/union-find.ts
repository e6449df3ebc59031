/** Disjoint sets over 0..n-1 with path halving and union by size. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  }

  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    return true;
  }
}

/**
 * Connected components of the graph whose edges are the given pairs. Each record's label
 * is the smallest record index in its component, so labels do not depend on edge order.
 */
export function connectedComponents(n: number, left: ArrayLike<number>, right: ArrayLike<number>): Int32Array {
  const uf = new UnionFind(n);
  for (let e = 0; e < left.length; e++) uf.union(left[e]!, right[e]!);
  return smallestLabels(uf, n);
}

/** Each element's label: the smallest element of its set, so labels do not depend on union order. */
export function smallestLabels(uf: UnionFind, n: number): Int32Array {
  const smallest = new Int32Array(n).fill(-1);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const root = uf.find(i);
    if (smallest[root] === -1) smallest[root] = i;
    labels[i] = smallest[root]!;
  }
  return labels;
}
