import type { TransactionSql } from 'postgres';
import type { Sql } from '../db/client.js';
import { KEY_SEPARATOR } from '../block/key-texts.js';
import type { PendingRecord } from './scan-rows.js';

/** A row that only moved in the file is not a change: incremental runs rescore only changed records. */
const CONTENT_CHANGED = `source_records.content_hash is distinct from excluded.content_hash or source_records.deleted_at is not null`;

export const UPSERT_SET = `
  row_number = excluded.row_number, raw = excluded.raw, content_hash = excluded.content_hash,
  source_updated_at = excluded.source_updated_at,
  last_run_id = case when ${CONTENT_CHANGED} then excluded.last_run_id else source_records.last_run_id end,
  attrs = excluded.attrs, issues = excluded.issues, record_class = excluded.record_class, class_reason = excluded.class_reason,
  std_key = excluded.std_key, block_keys = excluded.block_keys, block_stamp = excluded.block_stamp,
  deleted_at = null, updated_at = case when ${CONTENT_CHANGED} then now() else source_records.updated_at end`;

/** Rows whose content did not change are left alone: an unchanged source writes nothing. */
export const UPSERT_WHERE = `
  source_records.content_hash is distinct from excluded.content_hash or source_records.deleted_at is not null
  or source_records.row_number is distinct from excluded.row_number`;

/**
 * Upserts records by (source, source id) from parameter arrays, for the embedded database
 * (no COPY) and for callers inside a transaction; returns the rows it wrote.
 */
export async function upsertRecordArrays(
  sql: Sql | TransactionSql,
  deployment: string,
  source: string,
  runId: string,
  rows: ReadonlyArray<PendingRecord>,
): Promise<Array<{ id: number; source_id: string }>> {
  return sql.unsafe(`
    insert into source_records (deployment, source, source_id, row_number, raw, content_hash, source_updated_at, first_run_id, last_run_id,
      attrs, issues, record_class, class_reason, std_key, block_keys, block_stamp)
    select $1, $2, u.source_id, u.row_number, u.raw, u.hash, u.updated_at, $3, $3,
      u.attrs, u.issues, u.class, u.reason, u.std_key, string_to_array(u.keys, $4), u.stamp
    from unnest($5::text[], $6::int[], $7::text[]::json[], $8::text[], $9::text[]::timestamptz[], $10::text[]::jsonb[], $11::text[]::json[],
                $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
      as u(source_id, row_number, raw, hash, updated_at, attrs, issues, class, reason, std_key, keys, stamp)
    on conflict (deployment, source, source_id) do update set ${UPSERT_SET}
    where ${UPSERT_WHERE}
    returning id, source_id`, [
    deployment, source, runId, KEY_SEPARATOR,
    rows.map((r) => r.sourceId), rows.map((r) => r.rowNumber), rows.map((r) => r.raw), rows.map((r) => r.hash), rows.map((r) => r.updatedAt),
    rows.map((r) => r.prepared.attrs), rows.map((r) => r.prepared.issues), rows.map((r) => r.prepared.recordClass),
    rows.map((r) => r.prepared.classReason), rows.map((r) => r.prepared.stdKey),
    rows.map((r) => r.prepared.blockKeys?.join(KEY_SEPARATOR) ?? null), rows.map((r) => r.prepared.blockStamp),
  ] as never[]);
}
