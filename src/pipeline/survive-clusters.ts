import { attributeTypes } from '../config/load-settings.js';
import { copyTextInto, insertRows, type BulkTable } from '../db/bulk-write.js';
import type { Sql } from '../db/client.js';
import type { SurvivorshipPolicy } from '../survive/survive-cluster.js';
import type { SurvivePageInput } from '../survive/survive-page.js';
import { PACKED_SEPARATOR } from '../model/packed-values.js';
import { MEMBER_SEPARATOR } from '../survive/page-text.js';
import type { SurvivePageResult } from './survive-page-task.js';
import { packedAttributes } from './packed-attributes.js';
import type { Settings } from '../config/settings-schema.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { runSettings } from './runs.js';
import { assertStaged } from './staging-guard.js';
import { runLanes } from './lanes.js';

export interface SurviveMetrics extends Record<string, unknown> {
  goldenRecords: number;
  multiSourceRecords: number;
}

const CLUSTERS_PER_PAGE = 5_000;

const RUN_GOLDEN: BulkTable = {
  table: 'run_golden',
  columns: [['run_id', 'text'], ['cluster_key', 'bigint'], ['attrs', 'jsonb'], ['lineage', 'json'], ['member_count', 'int'], ['content_hash', 'text'], ['minted_id', 'text']],
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
  let membersRead = 0;
  let multiSource = 0;
  let nextPage = 0;
  const format = ctx.database.bulkCopy ? 'copy' : 'rows';
  // Pages are survived on the scoring threads, a few in flight: Postgres reads one page and
  // takes in another while the threads survive the rest, and this thread only moves text.
  // A retry starts by emptying the run's staged golden records (see runLanes).
  const lane = async (stopped: () => boolean): Promise<void> => {
    // Each lane on its own connection, without parallel plans: a page is a few thousand
    // index lookups, and starting parallel workers for it cost more than the lookups.
    const conn = ctx.database.bulkCopy ? await sql.reserve() : null;
    const db = conn ?? sql;
    try {
      if (conn) await conn`set max_parallel_workers_per_gather = 0`;
      for (let first = nextPage; first < total && !stopped(); first = nextPage) {
        nextPage += CLUSTERS_PER_PAGE;
        const lo = keyRows[first]!.cluster_key;
        const hi = keyRows[Math.min(total, first + CLUSTERS_PER_PAGE) - 1]!.cluster_key;
        let survived: SurvivePageResult | null = null;
        let read = 0;
        if (policy.attributes.length > 0) {
          const page = await readPageText(db, runId, policy.attributes, lo, hi);
          survived = await ctx.runner.survivePage({ runId, policy, format, text: page.text, members: page.members });
          read = page.members;
        }
        if (survived === null || survived.unreadable) {
          // A value holding a separator: this page again, row by row, the attributes as JSON.
          const page = await db<MemberRow[]>`
            select c.cluster_key, r.id, r.source, r.source_id, ${updatedMs(db)} as updated_ms, r.attrs::text as attrs
            from run_clusters c join source_records r on r.id = c.record_id
            where c.run_id = ${runId} and c.cluster_key between ${lo} and ${hi}
            order by c.cluster_key, r.id`;
          survived = await ctx.runner.survivePage({ ...pageColumns(page), packed: false, runId, policy, format });
          read = page.length;
        }
        if (survived.copy !== undefined) await copyTextInto(db, RUN_GOLDEN, survived.copy);
        else await insertRows(db, RUN_GOLDEN, survived.rows ?? []);
        multiSource += survived.multiSource;
        membersRead += read;
        done += survived.clusters;
        progress(total === 0 ? 1 : done / total);
      }
    } finally {
      if (conn) {
        await conn`reset max_parallel_workers_per_gather`.catch(() => {});
        conn.release();
      }
    }
  };
  // No more lanes (and connections) than pages.
  await runLanes(Math.min(ctx.runner.threads + 1, Math.ceil(total / CLUSTERS_PER_PAGE)), lane);
  // A record staged twice (run_clusters has no key to refuse it) would count twice in its golden
  // record; one deleted since (an import's rollback deletes its records) would be left out.
  await assertStaged(sql, runId, 'cluster', 'stagedRecords', membersRead, 'run_clusters',
    'as the members survive read with their source records: a record staged twice, or a record deleted since the cluster stage, as an import\'s rollback does');
  // Statistics for the commit's joins, taken here rather than inside its transaction, where
  // they would hold off other deployments' commits: a first load joins the minted ids straight
  // from run_golden, and without statistics a million staged rows were planned as a few
  // thousand (the cross-reference insert then fetched source records by index one by one:
  // 5.7-6.7 s against 3.5 s). Only the columns it joins on: the wide ones tell the planner nothing.
  await sql`analyze run_golden (run_id, cluster_key, minted_id)`;
  return { goldenRecords: done, multiSourceRecords: multiSource };
}

/**
 * The members of a run's clusters lo..hi (cluster keys, staged in run_clusters) as the one
 * text a survive thread decodes (src/survive/page-text.ts), and how many there are. Read row
 * by row, the job's thread spent a third of its time in the stage on the rows' objects,
 * collecting them and copying their strings over (the stage alone at a million records:
 * 21.7 -> 16.5 s of CPU). The attributes are the values survivorship reads, packed: as JSON,
 * Postgres wrote each record's whole jsonb out as text (2.4 times the bytes) and the thread
 * parsed it back, which made the stage about a seventh slower (docs/benchmarks.md).
 */
export async function readPageText(db: Sql, runId: string, attributes: ReadonlyArray<string>, lo: number, hi: number): Promise<{ members: number; text: string }> {
  const [page] = await db<{ members: number; text: string | null }[]>`
    select count(*)::int as members, string_agg(concat_ws(${PACKED_SEPARATOR}::text,
      c.cluster_key, r.id, r.source, r.source_id, coalesce(${updatedMs(db)}::text, ''), ${packedAttributes(db, attributes)}), ${MEMBER_SEPARATOR}::text order by c.cluster_key, r.id) as text
    from run_clusters c join source_records r on r.id = c.record_id
    where c.run_id = ${runId} and c.cluster_key between ${lo} and ${hi}`;
  return { members: page?.members ?? 0, text: page?.text ?? '' };
}

/** A source record's change time in ms since the epoch, null when the source gives none. */
function updatedMs(db: Sql) {
  return db`(extract(epoch from r.source_updated_at) * 1000)::float8`;
}

interface MemberRow {
  cluster_key: number;
  id: number;
  source: string;
  source_id: string;
  updated_ms: number | null;
  /** JSON text, parsed on the thread that survives it. */
  attrs: string;
}

function pageColumns(members: ReadonlyArray<MemberRow>): Omit<SurvivePageInput, 'runId' | 'policy'> {
  const n = members.length;
  const out = {
    clusterKeys: new Float64Array(n), recordIds: new Float64Array(n), updatedMs: new Float64Array(n),
    sources: new Array<string>(n), sourceIds: new Array<string>(n), attrs: new Array<string>(n),
  };
  for (let i = 0; i < n; i++) {
    const m = members[i]!;
    out.clusterKeys[i] = m.cluster_key;
    out.recordIds[i] = m.id;
    out.updatedMs[i] = m.updated_ms ?? Number.NaN;
    out.sources[i] = m.source;
    out.sourceIds[i] = m.source_id;
    out.attrs[i] = m.attrs;
  }
  return out;
}
