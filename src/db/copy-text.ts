export type Cell = string | number | boolean | null;

/** Rows in COPY text format, as one string: made where the rows are (a worker thread), sent by `copyTextInto`. */
export function copyText(rows: ReadonlyArray<ReadonlyArray<Cell>>): string {
  return [...copyChunks(rows)].join('');
}

/** COPY text format, a megabyte per chunk. */
export function* copyChunks(rows: ReadonlyArray<ReadonlyArray<Cell>>): Generator<string> {
  let chunk = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < row.length; c++) {
      if (c > 0) chunk += '\t';
      chunk += copyValue(row[c] ?? null);
    }
    chunk += '\n';
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * The same text as `copyText`, as UTF-8 bytes, for a scanning thread to transfer: the pull's
 * thread then neither receives a copy of a string nor encodes it, which took it 8 s of a
 * million-record run, and no rope of small strings is built and flattened on the way.
 */
export function copyBytes(rows: ReadonlyArray<ReadonlyArray<Cell>>): Uint8Array {
  const out = new CopyWriter();
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < row.length; c++) out.cell(row[c] ?? null, c === 0);
    out.endRow();
  }
  return out.bytes();
}

/** COPY text in UTF-8 cell by cell, for rows that need not be built as arrays first. */
export class CopyWriter {
  private readonly out: ByteWriter;

  /**
   * `capacity`: the bytes expected, so that the buffer need not grow (and be copied) on the way.
   * `spare`: a buffer done with, written over when it is large enough.
   */
  constructor(capacity = 1 << 16, spare?: ArrayBuffer) {
    this.out = new ByteWriter(capacity, spare);
  }

  /** One cell; `first` when it starts a row (no tab before it). */
  cell(value: Cell, first = false): void {
    if (!first) this.out.byte(TAB);
    this.out.text(copyValue(value));
  }

  /**
   * One text[] cell, or null: `copyValue(arrayLiteral(values))` written straight as bytes. A
   * pull writes each record's blocking keys so; building the literal as a string of its own,
   * to be escaped and encoded after, was most of the keys' writing (594,365 rows: 640 ms of
   * 900 ms; 679 ms this way, docs/benchmarks.md).
   */
  arrayCell(values: ReadonlyArray<string> | null, first = false): void {
    if (!first) this.out.byte(TAB);
    if (values === null) this.out.text('\\N');
    else if (!this.out.plainArray(values)) this.out.text(copyValue(arrayLiteral(values)));
  }

  endRow(): void {
    this.out.byte(NEWLINE);
  }

  bytes(): Uint8Array {
    return this.out.bytes();
  }
}

const TAB = 9;
const NEWLINE = 10;
const encoder = new TextEncoder();
const LONG_TEXT = 64;

class ByteWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(capacity = 1 << 16, spare?: ArrayBuffer) {
    this.buf = spare !== undefined && spare.byteLength >= capacity ? new Uint8Array(spare) : new Uint8Array(capacity);
  }

  byte(b: number): void {
    if (this.pos === this.buf.length) this.grow(1);
    this.buf[this.pos++] = b;
  }

  /**
   * A long string by the encoder (a kilobyte of JSON lineage: 12x faster than a loop in
   * script); a short one ASCII byte by byte, where the encoder's call would cost more, and
   * the rest of it from its first other character by the encoder.
   */
  text(s: string): void {
    const n = s.length;
    if (this.pos + n * 3 > this.buf.length) this.grow(n * 3);
    if (n > LONG_TEXT) {
      this.pos += encoder.encodeInto(s, this.buf.subarray(this.pos)).written;
      return;
    }
    const buf = this.buf;
    let pos = this.pos;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[pos++] = c;
    }
    if (i < n) pos += encoder.encodeInto(s.slice(i), buf.subarray(pos)).written;
    this.pos = pos;
  }

  /**
   * An array literal of values that need no escaping (ASCII but for the quote, the backslash,
   * tab, newline and carriage return; a blocking key's parts are joined by a control
   * character, which COPY takes as it is), every element quoted; false, with nothing written,
   * when one needs escaping.
   */
  plainArray(values: ReadonlyArray<string>): boolean {
    let size = 2;
    for (let v = 0; v < values.length; v++) size += values[v]!.length + 3;
    if (this.pos + size > this.buf.length) this.grow(size);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = OPEN_BRACE;
    for (let v = 0; v < values.length; v++) {
      const value = values[v]!;
      if (v > 0) buf[pos++] = COMMA;
      buf[pos++] = QUOTE;
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80 || c === QUOTE || c === BACKSLASH || c === 9 || c === 10 || c === 13) return false;
        buf[pos++] = c;
      }
      buf[pos++] = QUOTE;
    }
    buf[pos++] = CLOSE_BRACE;
    this.pos = pos;
    return true;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  private grow(needed: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + needed));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const COMMA = 44;
const QUOTE = 34;
const BACKSLASH = 92;

/** A text[] in Postgres' array syntax, every element quoted (a key may hold spaces, commas, braces). */
export function arrayLiteral(values: ReadonlyArray<string>): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) out += ',';
    out += `"${v.includes('"') || v.includes('\\') ? v.replace(/["\\]/g, '\\$&') : v}"`;
  }
  return `${out}}`;
}

const SPECIAL = /[\\\t\n\r]/;

function copyValue(value: Cell): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  if (!SPECIAL.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
