import type { Sql } from '../db/client.js';
import { toJson } from './row-hash.js';

export interface QuarantineEntry {
  source: string;
  rowNumber: number;
  sourceId: string | null;
  field: string;
  reason: string;
  raw: unknown;
}

/** Writes quarantined rows in one statement; a retried stage writes the same rows, so conflicts are ignored. */
export async function quarantineRows(sql: Sql, runId: string, entries: ReadonlyArray<QuarantineEntry>): Promise<void> {
  if (entries.length === 0) return;
  await sql`
    insert into quarantined_rows (run_id, source, row_number, source_id, field, reason, raw)
    select ${runId}, * from unnest(
      ${entries.map((e) => e.source)}::text[], ${entries.map((e) => e.rowNumber)}::int[],
      ${entries.map((e) => e.sourceId)}::text[], ${entries.map((e) => e.field)}::text[],
      ${entries.map((e) => e.reason)}::text[], ${entries.map((e) => (e.raw === undefined ? null : toJson(e.raw)))}::text[]::jsonb[])
    on conflict (run_id, source, row_number, field) do nothing`;
}
