import type { Rand } from './rand.js';

/** Values drawn in proportion to their weights: a binary search over cumulative weights. */
export class WeightedPool<T> {
  readonly values: ReadonlyArray<T>;
  private readonly cumulative: Float64Array;

  constructor(values: ReadonlyArray<T>, weights: ArrayLike<number>) {
    if (values.length === 0 || values.length !== weights.length) throw new Error('a weighted pool needs one weight per value, and at least one value');
    this.values = values;
    this.cumulative = new Float64Array(values.length);
    let total = 0;
    for (let i = 0; i < values.length; i++) {
      total += weights[i]!;
      this.cumulative[i] = total;
    }
  }

  get size(): number {
    return this.values.length;
  }

  /** The share of draws that value i gets. */
  share(i: number): number {
    const total = this.cumulative[this.cumulative.length - 1]!;
    return (this.cumulative[i]! - (i === 0 ? 0 : this.cumulative[i - 1]!)) / total;
  }

  pickIndex(rand: Rand): number {
    const target = rand.float() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  pick(rand: Rand): T {
    return this.values[this.pickIndex(rand)]!;
  }
}

/**
 * Zipf-like weights by rank, 1 / (rank + offset)^exponent: a few very common values and a
 * long tail, as surnames, given names and town sizes have.
 */
export function zipfWeights(count: number, exponent: number, offset: number): Float64Array {
  const weights = new Float64Array(count);
  for (let r = 0; r < count; r++) weights[r] = 1 / Math.pow(r + 1 + offset, exponent);
  return weights;
}
