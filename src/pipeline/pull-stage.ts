import type { CopyWriter } from '../db/copy-text.js';
import type { PendingRecord } from './scan-rows.js';

/**
 * The columns a pull writes, in source_records' own names and in the order of its COPY rows:
 * a source's first pull copies its rows straight into source_records, later pulls into the
 * temporary pull_rows table of the same columns and upsert from there.
 */
export const PULL_COLUMNS = 'deployment, source, source_id, row_number, raw, content_hash, source_updated_at, first_run_id, last_run_id, '
  + 'attrs, issues, record_class, class_reason, std_key, block_keys, block_stamp';

/** Where a pull's rows are written, the same for every row of it. */
export interface PullTarget {
  deployment: string;
  source: string;
  runId: string;
}

/**
 * One row to write as COPY text, cell by cell in PULL_COLUMNS order. A scanning thread writes
 * each row as soon as it is prepared: batches of row objects (and of sixteen-cell arrays)
 * lived long enough to be promoted, and garbage collection was a fifth of the scan.
 */
export function writePullRow(out: CopyWriter, r: PendingRecord, target: PullTarget): void {
  out.cell(target.deployment, true);
  out.cell(target.source);
  out.cell(r.sourceId);
  out.cell(r.rowNumber);
  out.cell(r.raw);
  out.cell(r.hash);
  out.cell(r.updatedAt);
  out.cell(target.runId);
  out.cell(target.runId);
  out.cell(r.prepared.attrs);
  out.cell(r.prepared.issues);
  out.cell(r.prepared.recordClass);
  out.cell(r.prepared.classReason);
  out.cell(r.prepared.stdKey);
  out.arrayCell(r.prepared.blockKeys);
  out.cell(r.prepared.blockStamp);
  out.endRow();
}
