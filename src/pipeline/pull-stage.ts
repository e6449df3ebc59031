import type { Cell } from '../db/copy-text.js';
import { copyBytes } from '../db/copy-text.js';
import { KEY_SEPARATOR } from './prepare-record.js';
import type { ScanChunk } from './scan-rows.js';

/** The pull's temporary staging table, which each batch is copied into before one upsert. */
export const PULL_STAGE_COLUMNS = 'source_id, row_number, raw, hash, updated_at, attrs, issues, class, reason, std_key, keys, stamp';

export function pullStageRows(chunk: Pick<ScanChunk, 'pending'>): Cell[][] {
  return chunk.pending.map((r) => [
    r.sourceId, r.rowNumber, r.raw, r.hash, r.updatedAt, r.prepared.attrs, r.prepared.issues, r.prepared.recordClass,
    r.prepared.classReason, r.prepared.stdKey, r.prepared.blockKeys?.join(KEY_SEPARATOR) ?? null, r.prepared.blockStamp,
  ]);
}

/**
 * A chunk with its rows as COPY text in UTF-8, made on the scanning thread: one buffer is
 * transferred to the pull instead of a structured clone of every record, which the pull then
 * formatted again.
 */
export function stagedCopy(chunk: ScanChunk): ScanChunk {
  return { ...chunk, pending: [], copy: copyBytes(pullStageRows(chunk)), copied: chunk.pending.length };
}
