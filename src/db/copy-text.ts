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

const SPECIAL = /[\\\t\n\r]/;

function copyValue(value: Cell): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  if (!SPECIAL.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
