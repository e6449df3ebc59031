import { createReadStream } from 'node:fs';
import { FilePosition } from './file-position.js';
import { CsvSplitter, type CsvRecord } from './csv-splitter.js';
import { SourceError } from '../errors.js';
import type { Connector, PullOptions, PulledRow } from './types.js';
import { compareWatermarks, normaliseWatermark } from './watermark.js';

export interface CsvOptions {
  name: string;
  path: string;
  delimiter: string;
  quote: string;
  encoding: BufferEncoding;
  trim: boolean;
  /** Column compared with the watermark on incremental pulls. */
  updatedAt?: string;
}

/**
 * Reads a delimited file row by row: header first, quoted fields (doubled quotes,
 * newlines inside quotes), a byte-order mark, any delimiter (CsvSplitter). A row with the
 * wrong number of fields, or that cannot be read, comes out as an error naming its line.
 */
export function csvConnector(options: CsvOptions): Connector {
  const position = new FilePosition();
  return {
    location: `file ${options.path}`,
    rows: (pull) => readCsv(options, pull, position),
    progress: () => position.fraction(),
  };
}

async function* readCsv(options: CsvOptions, pull: PullOptions, position: FilePosition): AsyncGenerator<PulledRow> {
  try {
    await position.open(options.path);
  } catch (err) {
    throw new SourceError(options.name, `cannot read ${options.path} (${(err as NodeJS.ErrnoException).code})`, { cause: err, retryable: false });
  }
  const splitter = new CsvSplitter({ delimiter: options.delimiter, quote: options.quote, trim: options.trim });
  const rows = new CsvRows(options, pull);
  const records: CsvRecord[] = [];
  for await (const chunk of position.track(createReadStream(options.path, { encoding: options.encoding }))) {
    splitter.push(chunk as string, records);
    for (const row of rows.take(records)) yield row;
  }
  splitter.end(records);
  for (const row of rows.take(records)) yield row;
  if (!rows.hasHeader) throw new SourceError(options.name, `${options.path} is empty: expected a header row`, { retryable: false });
}

/** Records as rows keyed by the header's names: the first record is the header. */
class CsvRows {
  private header: string[] | null = null;
  /** Column indexes by header name as JavaScript sorts strings, a repeated name's columns in file order. */
  private sortedColumns: number[] = [];
  private updatedColumn = -1;

  constructor(private readonly options: CsvOptions, private readonly pull: PullOptions) {}

  get hasHeader(): boolean {
    return this.header !== null;
  }

  /** The rows of these records, which it empties. */
  *take(records: CsvRecord[]): Generator<PulledRow> {
    for (let i = 0; i < records.length; i++) {
      const row = this.rowOf(records[i]!);
      if (row !== null) yield row;
    }
    records.length = 0;
  }

  private rowOf(read: CsvRecord): PulledRow | null {
    if (read.error !== undefined) return { kind: 'error', rowNumber: read.line, field: '', reason: `unreadable row: ${read.error}`, raw: read.raw };
    const { options, header } = this;
    const record = read.fields;
    if (header === null) {
      this.header = record.map((h) => h.trim());
      const names = this.header;
      this.sortedColumns = names.map((_, c) => c).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : a - b));
      if (options.updatedAt && !this.header.includes(options.updatedAt)) {
        throw new SourceError(options.name, `${options.path} has no column "${options.updatedAt}" (updatedAt)`, { retryable: false });
      }
      if (options.updatedAt) this.updatedColumn = this.header.indexOf(options.updatedAt);
      return null;
    }
    if (record.length !== header.length) {
      return { kind: 'error', rowNumber: read.line, field: '', reason: `expected ${header.length} fields, found ${record.length}`, raw: record };
    }
    // Past the watermark test first: most rows of an incremental pull stop there.
    if (this.pull.watermark !== null && this.updatedColumn >= 0) {
      const changed = record[this.updatedColumn];
      const updated = normaliseWatermark(changed === '' ? null : changed);
      if (updated !== null && compareWatermarks(updated, this.pull.watermark) < 0) return null;
    }
    // Keys in sorted order, so that the row's JSON is its canonical text as it is (see hashedRow).
    // A name repeated keeps its last column's value, as it would in file order.
    const values: Record<string, unknown> = {};
    const columns = this.sortedColumns;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      values[header[c]!] = record[c] === '' ? null : record[c];
    }
    return { kind: 'row', rowNumber: read.line, values };
  }
}
