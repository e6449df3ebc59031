/**
 * The source ids a pull has read, each with the row it was first read at, to refuse a
 * repeated id and to tell afterwards which stored records the pull no longer saw.
 *
 * Most exports come in id order. While every id is greater than the one before, none can
 * repeat an earlier one, and the ids are only listed: a lookup and an insert in a map of
 * every id so far was a fifth of the hash-map time of a first pull's scanning threads (perf,
 * a million records), and the map grew by rehashing. The first id out of order builds the
 * map from the list, and every id after it is looked up there.
 */
export class SeenIds {
  /** The ids in order, and their rows, until the first one out of order: then the map holds them. */
  private ids: string[] = [];
  private rows: number[] = [];
  private map: Map<string, number> | null = null;

  /** The row an id was first read at; undefined when it is new, and it is then recorded as read at `rowNumber`. */
  firstRow(id: string, rowNumber: number): number | undefined {
    const { ids } = this;
    if (this.map === null) {
      // Code-unit order, a total order: greater than the last means greater than every one.
      if (ids.length === 0 || id > ids[ids.length - 1]!) {
        ids.push(id);
        this.rows.push(rowNumber);
        return undefined;
      }
      this.map = new Map();
      for (let i = 0; i < ids.length; i++) this.map.set(ids[i]!, this.rows[i]!);
      this.ids = [];
      this.rows = [];
    }
    const first = this.map.get(id);
    if (first !== undefined) return first;
    this.map.set(id, rowNumber);
    return undefined;
  }

  /** Every id read, in the order first read: the map keeps it, from the list it was built from on. */
  all(): string[] {
    return this.map === null ? this.ids : [...this.map.keys()];
  }
}
