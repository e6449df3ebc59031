import { settingsFingerprint } from '../config/load-settings.js';
import { sourceContexts, standardizeRecord } from '../standardize/record.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { quarantineRows, type QuarantineEntry } from './quarantine.js';
import { toJson } from './row-hash.js';
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
  const fingerprint = settingsFingerprint(settings);
  const names = sourceNames(settings);
  const fields = new Map(settings.sources.map((s) => [s.name, s.fields]));
  const contexts = sourceContexts(settings);
  const [{ total } = { total: 0 }] = await sql<{ total: number }[]>`
    select count(*)::int as total from source_records
    where deployment = ${settings.name} and source = any(${names}) and deleted_at is null and std_key is distinct from content_hash || ':' || ${fingerprint}`;
  const metrics: StandardizeMetrics = { standardized: 0, customers: 0, excluded: 0, quarantined: 0, quarantinedBySource: {} };
  let lastId = 0;
  for (;;) {
    const rows = await sql<{ id: number; source: string; source_id: string; row_number: number | null; raw: Record<string, unknown>; content_hash: string }[]>`
      select id, source, source_id, row_number, raw, content_hash from source_records
      where deployment = ${settings.name} and source = any(${names}) and deleted_at is null and id > ${lastId}
        and std_key is distinct from content_hash || ':' || ${fingerprint}
      order by id limit ${settings.run.batchSize}`;
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1]!.id;
    const ids: number[] = [];
    const attrs: string[] = [];
    const issues: Array<string | null> = [];
    const classes: string[] = [];
    const reasons: Array<string | null> = [];
    const keys: string[] = [];
    const rejected: QuarantineEntry[] = [];
    for (const row of rows) {
      const result = standardizeRecord(row.raw, fields.get(row.source) ?? {}, contexts.get(row.source)!);
      ids.push(row.id);
      attrs.push(toJson(result.attrs));
      issues.push(result.issues.length > 0 ? toJson(result.issues) : null);
      keys.push(`${row.content_hash}:${fingerprint}`);
      if (result.rejection) {
        classes.push('quarantined');
        reasons.push(`${result.rejection.field} (${result.rejection.column}): ${result.rejection.reason}`);
        rejected.push({
          source: row.source, rowNumber: row.row_number ?? 0, sourceId: row.source_id,
          field: result.rejection.column, reason: result.rejection.reason, raw: row.raw,
        });
        metrics.quarantined++;
        metrics.quarantinedBySource[row.source] = (metrics.quarantinedBySource[row.source] ?? 0) + 1;
      } else if (result.excludedBecause) {
        classes.push('excluded');
        reasons.push(result.excludedBecause);
        metrics.excluded++;
      } else {
        classes.push('customer');
        reasons.push(null);
        metrics.customers++;
      }
    }
    await sql`
      update source_records s set attrs = u.attrs, issues = u.issues, record_class = u.class, class_reason = u.reason,
        std_key = u.std_key, block_keys = null, block_stamp = null, updated_at = now()
      from unnest(${ids}::bigint[], ${attrs}::text[]::jsonb[], ${issues}::text[]::jsonb[], ${classes}::text[],
                  ${reasons}::text[], ${keys}::text[]) as u(id, attrs, issues, class, reason, std_key)
      where s.id = u.id`;
    await quarantineRows(sql, runId, rejected);
    metrics.standardized += rows.length;
    progress(total === 0 ? 1 : metrics.standardized / total);
  }
  return metrics;
}
