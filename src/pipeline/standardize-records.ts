import type { PipelineContext, ProgressReporter } from './context.js';
import { KEY_SEPARATOR } from '../block/key-texts.js';
import { RecordPreparer } from './prepare-record.js';
import { refreshRecordStatistics } from './record-statistics.js';
import { quarantineRows, type QuarantineEntry } from './quarantine.js';
import { runSettings } from './runs.js';
import { sourceNames } from './scope.js';

export interface StandardizeMetrics extends Record<string, unknown> {
  standardized: number;
  customers: number;
  excluded: number;
  quarantined: number;
  quarantinedBySource: Record<string, number>;
}

/**
 * Standardizes every record whose content or settings changed since it was last
 * standardized (std_key = content hash + settings fingerprint), classifying each as a
 * customer, not a customer (excluded), or quarantined (a required value is missing).
 */
export async function standardizeRecords(ctx: PipelineContext, runId: string, progress: ProgressReporter): Promise<StandardizeMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const { sql } = ctx.database;
  const names = sourceNames(settings);
  const preparer = new RecordPreparer(settings);
  const fingerprint = preparer.fingerprint;
  const metrics: StandardizeMetrics = { standardized: 0, customers: 0, excluded: 0, quarantined: 0, quarantinedBySource: {} };
  const stale = () => sql`deployment = ${settings.name} and source = any(${names}) and deleted_at is null
    and std_key is distinct from content_hash || ':' || ${fingerprint}`;
  // The pulls standardize what they write, so this stage usually finds nothing: the records
  // of an imported source or an incremental pull after a settings change. One count finds
  // out, a scan Postgres runs on both cores, where walking the key for a batch that never
  // fills took 1.3 s against 0.6 s at a million records; the batches start at the first.
  // This is the first stage to read what the pulls wrote: the count needs statistics to be
  // planned on both cores, and the stages after need them for their joins.
  await refreshRecordStatistics(sql);
  const [{ total, first } = { total: 0, first: null }] = await sql<{ total: number; first: number | null }[]>`
    select count(*)::int as total, min(id) as first from source_records where ${stale()}`;
  if (total === 0 || first === null) return metrics;
  let lastId = first - 1;
  for (;;) {
    const rows = await sql<{ id: number; source: string; source_id: string; row_number: number | null; raw: Record<string, unknown>; content_hash: string }[]>`
      select id, source, source_id, row_number, raw, content_hash from source_records
      where ${stale()} and id > ${lastId}
      order by id limit ${settings.run.batchSize}`;
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1]!.id;
    const prepared = rows.map((row) => preparer.prepare(row.source, row.raw, row.content_hash));
    const rejected: QuarantineEntry[] = [];
    prepared.forEach((p, k) => {
      const row = rows[k]!;
      if (p.rejection) {
        rejected.push({ source: row.source, rowNumber: row.row_number ?? 0, sourceId: row.source_id, field: p.rejection.column, reason: p.rejection.reason, raw: row.raw });
        metrics.quarantined++;
        metrics.quarantinedBySource[row.source] = (metrics.quarantinedBySource[row.source] ?? 0) + 1;
      } else if (p.recordClass === 'excluded') metrics.excluded++;
      else metrics.customers++;
    });
    await sql`
      update source_records s set attrs = u.attrs, issues = u.issues, record_class = u.class, class_reason = u.reason,
        std_key = u.std_key, block_keys = string_to_array(u.keys, ${KEY_SEPARATOR}), block_stamp = u.stamp, updated_at = now()
      from unnest(${rows.map((r) => r.id)}::bigint[], ${prepared.map((p) => p.attrs)}::text[]::jsonb[], ${prepared.map((p) => p.issues)}::text[]::json[],
                  ${prepared.map((p) => p.recordClass)}::text[], ${prepared.map((p) => p.classReason)}::text[], ${prepared.map((p) => p.stdKey)}::text[],
                  ${prepared.map((p) => p.blockKeys?.join(KEY_SEPARATOR) ?? null)}::text[], ${prepared.map((p) => p.blockStamp)}::text[])
        as u(id, attrs, issues, class, reason, std_key, keys, stamp)
      where s.id = u.id`;
    await quarantineRows(sql, runId, rejected);
    metrics.standardized += rows.length;
    progress(Math.min(1, metrics.standardized / total));
  }
  return metrics;
}
