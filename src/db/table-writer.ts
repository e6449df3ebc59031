import { copyTextInto, insertRows, type BulkTable } from './bulk-write.js';
import type { Database } from './client.js';
import { CopyWriter, type Cell } from './copy-text.js';

/**
 * A batch of rows for one table, cell by cell: COPY text as they come where the database
 * takes COPY, row arrays for an insert where it does not (the embedded database). A row
 * array each, a million of them, kept the job's thread collecting garbage for most of what
 * it spent writing a 1M run's clusters (docs/benchmarks.md).
 */
export class TableWriter {
  /** Rows ended so far. */
  rows = 0;
  private readonly copy: CopyWriter | null;
  private readonly arrays: Cell[][] = [];
  private row: Cell[] = [];
  private column = 0;

  /** `expectedBytes`: about what the batch takes as COPY text, so that its buffer need not grow. */
  constructor(private readonly database: Database, private readonly target: BulkTable, expectedBytes: number) {
    this.copy = database.bulkCopy ? new CopyWriter(expectedBytes) : null;
  }

  cell(value: Cell): void {
    if (this.copy === null) this.row.push(value);
    else this.copy.cell(value, this.column === 0);
    this.column++;
  }

  endRow(): void {
    if (this.column !== this.target.columns.length) {
      throw new Error(`a ${this.target.table} row has ${this.column} cells, not ${this.target.columns.length}`);
    }
    if (this.copy === null) {
      this.arrays.push(this.row);
      this.row = [];
    } else this.copy.endRow();
    this.column = 0;
    this.rows++;
  }

  async write(): Promise<void> {
    if (this.rows === 0) return;
    if (this.copy === null) await insertRows(this.database.sql, this.target, this.arrays);
    else await copyTextInto(this.database.sql, this.target, this.copy.bytes());
  }
}
