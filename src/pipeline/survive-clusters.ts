import { attributeTypes } from '../config/load-settings.js';
import { bulkWrite, type BulkTable, type Cell } from '../db/bulk-write.js';
import type { Attributes } from '../model/attributes.js';
import { surviveCluster, type MemberRecord, type SurvivorshipPolicy } from '../survive/survive-cluster.js';
import type { Settings } from '../config/settings-schema.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { contentHash, toJson } from './row-hash.js';
import { runSettings } from './runs.js';
import { assertStaged } from './staging-guard.js';

export interface SurviveMetrics extends Record<string, unknown> {
  goldenRecords: number;
  multiSourceRecords: number;
}

const CLUSTERS_PER_PAGE = 5_000;
const PAGES_IN_FLIGHT = 3;

const RUN_GOLDEN: BulkTable = {
  table: 'run_golden',
  columns: [['run_id', 'text'], ['cluster_key', 'bigint'], ['attrs', 'jsonb'], ['lineage', 'jsonb'], ['member_count', 'int'], ['content_hash', 'text']],
};

export function survivorshipPolicy(settings: Settings): SurvivorshipPolicy {
  const mapped = new Set(settings.sources.flatMap((s) => Object.keys(s.fields)));
  return {
    attributes: Object.keys(attributeTypes(settings)).filter((a) => mapped.has(a)),
    defaultRule: settings.survivorship.default,
    rules: settings.survivorship.attributes,
    trust: Object.fromEntries(settings.sources.map((s) => [s.name, s.trust])),
    attributeTrust: Object.fromEntries(settings.sources.map((s) => [s.name, s.attributeTrust])),
  };
}

/**
 * Builds each cluster's golden attributes with the survivorship rules, keeping per
 * attribute the source record and rule that chose the value. Reads clusters a page at a
 * time, a few pages at once (a cluster never spans pages); a retry replaces the run's staged
 * golden records.
 */
export async function surviveRunClusters(ctx: PipelineContext, runId: string, progress: ProgressReporter): Promise<SurviveMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const { sql } = ctx.database;
  const policy = survivorshipPolicy(settings);
  // Page boundaries from the sorted cluster keys, so each page is one index range: asking
  // for "the next 5,000 distinct keys" rescans the run's clusters for every page.
  const keyRows = await sql<{ cluster_key: number }[]>`
    select distinct cluster_key from run_clusters where run_id = ${runId} order by cluster_key`;
  const total = keyRows.length;
  await assertStaged(sql, runId, 'cluster', 'stagedClusters', total, 'run_clusters');
  await sql`delete from run_golden where run_id = ${runId}`;
  let done = 0;
  let multiSource = 0;
  let nextPage = 0;
  // Several pages in flight: one is survived in JavaScript while Postgres reads the next and
  // takes in the last, which one page at a time left each side idle half the time.
  const lane = async (): Promise<void> => {
    for (let first = nextPage; first < total; first = nextPage) {
      nextPage += CLUSTERS_PER_PAGE;
      const lo = keyRows[first]!.cluster_key;
      const hi = keyRows[Math.min(total, first + CLUSTERS_PER_PAGE) - 1]!.cluster_key;
      const rows = await sql<MemberRow[]>`
        select c.cluster_key, r.id, r.source, r.source_id, (extract(epoch from r.source_updated_at) * 1000)::float8 as updated_ms, r.attrs
        from run_clusters c join source_records r on r.id = c.record_id
        where c.run_id = ${runId} and c.cluster_key between ${lo} and ${hi}
        order by c.cluster_key, r.id`;
      const page = survivePage(runId, rows, policy);
      multiSource += page.multiSource;
      await bulkWrite(ctx.database, RUN_GOLDEN, page.out);
      done += page.out.length;
      progress(total === 0 ? 1 : done / total);
    }
  };
  await Promise.all(Array.from({ length: PAGES_IN_FLIGHT }, lane));
  return { goldenRecords: done, multiSourceRecords: multiSource };
}

interface MemberRow {
  cluster_key: number;
  id: number;
  source: string;
  source_id: string;
  updated_ms: number | null;
  attrs: Attributes;
}

/** One page's staged golden rows, from its members in cluster order. */
function survivePage(runId: string, rows: ReadonlyArray<MemberRow>, policy: SurvivorshipPolicy): { out: Cell[][]; multiSource: number } {
  const out: Cell[][] = [];
  let multiSource = 0;
  let start = 0;
  while (start < rows.length) {
    let end = start;
    const key = rows[start]!.cluster_key;
    while (end < rows.length && rows[end]!.cluster_key === key) end++;
    const group: MemberRecord[] = [];
    let sources = 0;
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      group.push({ recordId: r.id, source: r.source, sourceId: r.source_id, updatedAt: r.updated_ms, attrs: r.attrs });
      if (r.source !== rows[start]!.source) sources = 1;
    }
    const golden = surviveCluster(group, policy);
    out.push([runId, key, toJson(golden.attrs), toJson(golden.lineage), group.length, contentHash({ attrs: golden.attrs, lineage: golden.lineage })]);
    multiSource += sources;
    start = end;
  }
  return { out, multiSource };
}
