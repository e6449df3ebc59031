import { appendRemapped, resized, StringIds, stringAt } from './string-ids.js';

/**
 * Records as columns, for the scoring hot path and for shipping to worker threads.
 *
 * Each attribute is dictionary-encoded: every distinct value is stored once as UTF-16 code
 * units, and each record holds the id of its value (-1 when missing). Exact agreement is an
 * integer comparison, fuzzy comparators read code units without allocating strings, term
 * frequencies come for free, and all arrays sit on SharedArrayBuffers so worker threads
 * read them without a copy.
 */
export interface StringColumn {
  /** Per record: the id of its value, or -1 when missing. */
  ids: Int32Array;
  /** Code units of all distinct values, back to back. */
  codes: Uint16Array;
  /** Value v spans codes[offsets[v]] .. codes[offsets[v + 1]]. */
  offsets: Uint32Array;
  /** Records holding each value. */
  counts: Uint32Array;
  /** Longest value, to size comparator scratch space. */
  maxLength: number;
}

export interface RecordColumns {
  size: number;
  /** Index of each record's source in `sources`. */
  source: Uint16Array;
  sources: string[];
  columns: Record<string, StringColumn>;
}

export function shared<T extends Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array | Float32Array>(
  Ctor: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new Ctor(new SharedArrayBuffer(Math.max(1, length) * Ctor.BYTES_PER_ELEMENT));
}

/** Dictionary-encodes one attribute's values (null or '' meaning missing). */
export function encodeColumn(values: ReadonlyArray<string | null | undefined>): StringColumn {
  const encoder = new ColumnEncoder();
  for (let i = 0; i < values.length; i++) encoder.push(values[i]);
  return encoder.finish();
}

/**
 * A column encoded as its values arrive, so that a loader keeps only the distinct values
 * instead of every record's strings until the end (at a million records, half the match
 * load's time went to collecting those).
 */
export class ColumnEncoder {
  private ids = new Int32Array(1024);
  private length = 0;
  private readonly dictionary = new StringIds();

  /** `numbered: false`: every value stored as it comes, not numbered (values nearly all distinct, such as source ids). */
  constructor(private readonly numbered = true) {}

  push(v: string | null | undefined): void {
    if (this.length === this.ids.length) this.ids = resized(this.ids, this.length * 2);
    this.ids[this.length++] = v === null || v === undefined || v === '' ? -1 : this.numbered ? this.dictionary.id(v) : this.dictionary.appended(v, 0, v.length);
  }

  /** The value text.slice(start, end), read in place; empty is missing. */
  pushRange(text: string, start: number, end: number): void {
    if (this.length === this.ids.length) this.ids = resized(this.ids, this.length * 2);
    this.ids[this.length++] = start === end ? -1 : this.numbered ? this.dictionary.idOf(text, start, end) : this.dictionary.appended(text, start, end);
  }

  /**
   * Every record of a column encoded elsewhere (a load's later records, read on another
   * thread), after those pushed so far: the same ids as pushing its values one by one, each
   * distinct value looked up once.
   */
  pushColumn(column: Pick<StringColumn, 'ids' | 'codes' | 'offsets'>): void {
    const remap = new Int32Array(column.offsets.length - 1);
    for (let v = 0; v < remap.length; v++) {
      const value = stringAt(column.codes, column.offsets, v);
      remap[v] = this.numbered ? this.dictionary.id(value) : this.dictionary.appended(value, 0, value.length);
    }
    this.ids = appendRemapped(this.ids, this.length, column.ids, remap);
    this.length += column.ids.length;
  }

  finish(): StringColumn {
    const ids = shared(Int32Array, this.length);
    ids.set(this.ids.subarray(0, this.length));
    const distinct = this.dictionary.codeUnits();
    const codes = shared(Uint16Array, distinct.codes.length);
    codes.set(distinct.codes);
    const offsets = shared(Uint32Array, distinct.offsets.length);
    offsets.set(distinct.offsets);
    const counts = shared(Uint32Array, offsets.length - 1);
    let maxLength = 0;
    for (let v = 0; v + 1 < offsets.length; v++) maxLength = Math.max(maxLength, offsets[v + 1]! - offsets[v]!);
    for (let i = 0; i < ids.length; i++) if (ids[i]! >= 0) counts[ids[i]!]!++;
    return { ids, codes, offsets, counts, maxLength };
  }
}

export function valueOf(column: StringColumn, record: number): string | null {
  const id = column.ids[record]!;
  return id < 0 ? null : decode(column, id);
}

/** Every distinct value of a column, by id. */
export function columnValues(column: StringColumn): string[] {
  return Array.from({ length: column.counts.length }, (_, v) => decode(column, v));
}

export function decode(column: StringColumn, id: number): string {
  return stringAt(column.codes, column.offsets, id);
}

export function buildColumns(
  records: ReadonlyArray<{ source: string; attrs: Record<string, string | null> }>,
  attributes: ReadonlyArray<string>,
): RecordColumns {
  const builder = new ColumnsBuilder(attributes);
  const values: Array<string | null | undefined> = new Array(attributes.length);
  for (const r of records) {
    for (let a = 0; a < attributes.length; a++) values[a] = r.attrs[attributes[a]!];
    builder.add(r.source, values);
  }
  return builder.finish();
}

/** Records' columns built one record at a time, as a loader reads them. */
export class ColumnsBuilder {
  private readonly encoders: ColumnEncoder[];
  private readonly sources: string[] = [];
  private readonly sourceIndex = new Map<string, number>();
  private source = new Uint16Array(1024);
  private size = 0;

  constructor(private readonly attributes: ReadonlyArray<string>) {
    this.encoders = attributes.map(() => new ColumnEncoder());
  }

  /** A record: its source and its value of each attribute, in the builder's attribute order. */
  add(source: string, values: ArrayLike<string | null | undefined>): void {
    this.addSource(source);
    for (let a = 0; a < this.encoders.length; a++) this.encoders[a]!.push(values[a]);
  }

  /** A record whose value of attribute a is text.slice(starts[a], ends[a]) (empty: missing), read in place. */
  addRanges(source: string, text: string, starts: Int32Array, ends: Int32Array): void {
    this.addSource(source);
    for (let a = 0; a < this.encoders.length; a++) this.encoders[a]!.pushRange(text, starts[a]!, ends[a]!);
  }

  /** Every record of columns built elsewhere over the same attributes, after those added so far. */
  addColumns(columns: RecordColumns): void {
    const sourceOf = columns.sources.map((name) => this.sourceNumber(name));
    if (this.size + columns.size > this.source.length) this.source = resized(this.source, Math.max(this.source.length * 2, this.size + columns.size));
    for (let i = 0; i < columns.size; i++) this.source[this.size++] = sourceOf[columns.source[i]!]!;
    this.attributes.forEach((attribute, a) => this.encoders[a]!.pushColumn(columns.columns[attribute]!));
  }

  private addSource(source: string): void {
    const s = this.sourceNumber(source);
    if (this.size === this.source.length) this.source = resized(this.source, this.size * 2);
    this.source[this.size++] = s;
  }

  private sourceNumber(source: string): number {
    let s = this.sourceIndex.get(source);
    if (s === undefined) {
      s = this.sources.length;
      this.sources.push(source);
      this.sourceIndex.set(source, s);
    }
    return s;
  }

  finish(): RecordColumns {
    const source = shared(Uint16Array, this.size);
    source.set(this.source.subarray(0, this.size));
    const columns: Record<string, StringColumn> = {};
    this.attributes.forEach((attribute, a) => (columns[attribute] = this.encoders[a]!.finish()));
    return { size: this.size, source, sources: this.sources, columns };
  }
}
