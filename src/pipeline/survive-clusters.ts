import { attributeTypes } from '../config/load-settings.js';
import type { Attributes } from '../model/attributes.js';
import { surviveCluster, type MemberRecord, type SurvivorshipPolicy } from '../survive/survive-cluster.js';
import type { Settings } from '../config/settings-schema.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { contentHash, toJson } from './row-hash.js';
import { runSettings } from './runs.js';

export interface SurviveMetrics extends Record<string, unknown> {
  goldenRecords: number;
  multiSourceRecords: number;
}

const CLUSTERS_PER_PAGE = 5_000;

export function survivorshipPolicy(settings: Settings): SurvivorshipPolicy {
  const mapped = new Set(settings.sources.flatMap((s) => Object.keys(s.fields)));
  return {
    attributes: Object.keys(attributeTypes(settings)).filter((a) => mapped.has(a)),
    defaultRule: settings.survivorship.default,
    rules: settings.survivorship.attributes,
    trust: Object.fromEntries(settings.sources.map((s) => [s.name, s.trust])),
  };
}

/**
 * Builds each cluster's golden attributes with the survivorship rules, keeping per
 * attribute the source record and rule that chose the value. Reads clusters a page at a
 * time (a cluster never spans pages); a retry replaces the run's staged golden records.
 */
export async function surviveRunClusters(ctx: PipelineContext, runId: string, progress: ProgressReporter): Promise<SurviveMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const { sql } = ctx.database;
  const policy = survivorshipPolicy(settings);
  const [{ total } = { total: 0 }] = await sql<{ total: number }[]>`
    select count(distinct cluster_key)::int as total from run_clusters where run_id = ${runId}`;
  await sql`delete from run_golden where run_id = ${runId}`;
  let last = -1;
  let done = 0;
  let multiSource = 0;
  for (;;) {
    const rows = await sql<{ cluster_key: number; id: number; source: string; source_id: string; updated_ms: number | null; attrs: Attributes }[]>`
      with page as (
        select distinct cluster_key from run_clusters where run_id = ${runId} and cluster_key > ${last}
        order by cluster_key limit ${CLUSTERS_PER_PAGE})
      select c.cluster_key, r.id, r.source, r.source_id, (extract(epoch from r.source_updated_at) * 1000)::float8 as updated_ms, r.attrs
      from run_clusters c join source_records r on r.id = c.record_id
      where c.run_id = ${runId} and c.cluster_key in (select cluster_key from page)
      order by c.cluster_key, r.id`;
    if (rows.length === 0) break;
    const keys: number[] = [];
    const attrs: string[] = [];
    const lineage: string[] = [];
    const members: number[] = [];
    const hashes: string[] = [];
    let start = 0;
    while (start < rows.length) {
      let end = start;
      const key = rows[start]!.cluster_key;
      while (end < rows.length && rows[end]!.cluster_key === key) end++;
      const group: MemberRecord[] = rows.slice(start, end).map((r) => ({
        recordId: r.id, source: r.source, sourceId: r.source_id, updatedAt: r.updated_ms, attrs: r.attrs,
      }));
      const golden = surviveCluster(group, policy);
      keys.push(key);
      attrs.push(toJson(golden.attrs));
      lineage.push(toJson(golden.lineage));
      members.push(group.length);
      hashes.push(contentHash({ attrs: golden.attrs, lineage: golden.lineage }));
      if (new Set(group.map((g) => g.source)).size > 1) multiSource++;
      start = end;
    }
    await sql`
      insert into run_golden (run_id, cluster_key, attrs, lineage, member_count, content_hash)
      select ${runId}, * from unnest(${keys}::bigint[], ${attrs}::text[]::jsonb[], ${lineage}::text[]::jsonb[], ${members}::int[], ${hashes}::text[])`;
    last = keys[keys.length - 1]!;
    done += keys.length;
    progress(total === 0 ? 1 : done / total);
  }
  return { goldenRecords: done, multiSourceRecords: multiSource };
}
