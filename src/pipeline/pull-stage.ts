import type { Cell } from '../db/copy-text.js';
import { copyBytes } from '../db/copy-text.js';
import type { ScanChunk } from './scan-rows.js';

/**
 * The columns a pull writes, in source_records' own names and in the order of its COPY rows:
 * a source's first pull copies its rows straight into source_records, later pulls into the
 * temporary pull_stage table of the same columns and upsert from there.
 */
export const PULL_COLUMNS = 'deployment, source, source_id, row_number, raw, content_hash, source_updated_at, first_run_id, last_run_id, '
  + 'attrs, issues, record_class, class_reason, std_key, block_keys, block_stamp';

/** Where a pull's rows are written, the same for every row of it. */
export interface PullTarget {
  deployment: string;
  source: string;
  runId: string;
}

export function pullRows(chunk: Pick<ScanChunk, 'pending'>, target: PullTarget): Cell[][] {
  return chunk.pending.map((r) => [
    target.deployment, target.source, r.sourceId, r.rowNumber, r.raw, r.hash, r.updatedAt, target.runId, target.runId,
    r.prepared.attrs, r.prepared.issues, r.prepared.recordClass, r.prepared.classReason, r.prepared.stdKey,
    r.prepared.blockKeys === null ? null : arrayLiteral(r.prepared.blockKeys), r.prepared.blockStamp,
  ]);
}

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

/**
 * A chunk with its rows as COPY text in UTF-8, made on the scanning thread: one buffer is
 * transferred to the pull instead of a structured clone of every record, which the pull then
 * formatted again.
 */
export function stagedCopy(chunk: ScanChunk, target: PullTarget): ScanChunk {
  return { ...chunk, pending: [], copy: copyBytes(pullRows(chunk, target)), copied: chunk.pending.length };
}
