import { StringIds } from './string-ids.js';

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
  const ids = shared(Int32Array, values.length);
  const dictionary = new StringIds();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    ids[i] = v === null || v === undefined || v === '' ? -1 : dictionary.id(v);
  }
  const distinct = dictionary.values;
  let totalLength = 0;
  for (const v of distinct) totalLength += v.length;
  const codes = shared(Uint16Array, totalLength);
  const offsets = shared(Uint32Array, distinct.length + 1);
  const counts = shared(Uint32Array, distinct.length);
  let pos = 0;
  let maxLength = 0;
  for (let v = 0; v < distinct.length; v++) {
    const s = distinct[v]!;
    offsets[v] = pos;
    for (let k = 0; k < s.length; k++) codes[pos++] = s.charCodeAt(k);
    if (s.length > maxLength) maxLength = s.length;
  }
  offsets[distinct.length] = pos;
  for (let i = 0; i < ids.length; i++) if (ids[i]! >= 0) counts[ids[i]!]!++;
  return { ids, codes, offsets, counts, maxLength };
}

export function valueOf(column: StringColumn, record: number): string | null {
  const id = column.ids[record]!;
  return id < 0 ? null : decode(column, id);
}

export function decode(column: StringColumn, id: number): string {
  const start = column.offsets[id]!;
  const end = column.offsets[id + 1]!;
  let out = '';
  for (let k = start; k < end; k += 4096) {
    out += String.fromCharCode(...column.codes.subarray(k, Math.min(end, k + 4096)));
  }
  return out;
}

export function buildColumns(
  records: ReadonlyArray<{ source: string; attrs: Record<string, string | null> }>,
  attributes: ReadonlyArray<string>,
): RecordColumns {
  const sources: string[] = [];
  const sourceIndex = new Map<string, number>();
  const source = shared(Uint16Array, records.length);
  records.forEach((r, i) => {
    let s = sourceIndex.get(r.source);
    if (s === undefined) {
      s = sources.length;
      sources.push(r.source);
      sourceIndex.set(r.source, s);
    }
    source[i] = s;
  });
  const columns: Record<string, StringColumn> = {};
  for (const attribute of attributes) columns[attribute] = encodeColumn(records.map((r) => r.attrs[attribute] ?? null));
  return { size: records.length, source, sources, columns };
}
