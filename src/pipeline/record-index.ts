/** Record ids to their positions in the id-ordered list, by direct lookup where the ids are dense (they are serial). */
export class RecordIndex {
  private readonly first: number;
  private readonly dense: Int32Array | null;
  private readonly sparse: Map<number, number> | null;

  constructor(ids: Float64Array) {
    this.first = ids.length > 0 ? ids[0]! : 0;
    const span = ids.length > 0 ? ids[ids.length - 1]! - this.first + 1 : 0;
    if (span <= 4 * ids.length + 1024) {
      this.dense = new Int32Array(span).fill(-1);
      for (let i = 0; i < ids.length; i++) this.dense[ids[i]! - this.first] = i;
      this.sparse = null;
    } else {
      this.dense = null;
      this.sparse = new Map();
      for (let i = 0; i < ids.length; i++) this.sparse.set(ids[i]!, i);
    }
    this.size = ids.length;
  }

  readonly size: number;

  /** The record's position, or -1 when it is not in the list. */
  of(id: number): number {
    if (this.dense) {
      const k = id - this.first;
      return k >= 0 && k < this.dense.length ? this.dense[k]! : -1;
    }
    return this.sparse!.get(id) ?? -1;
  }
}
