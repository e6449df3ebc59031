import { copyTextInto, insertRows, type BulkTable } from '../db/bulk-write.js';
import type { Sql } from '../db/client.js';
import type { SurvivePageInput } from '../survive/survive-page.js';
import { PACKED_SEPARATOR } from '../model/packed-values.js';
import { MEMBER_SEPARATOR } from '../survive/page-text.js';
import type { SurvivePageResult } from './survive-page-task.js';
import { packedAttributes, sourceUpdatedMs } from './packed-attributes.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { runSettings } from './runs.js';
import { assertStaged } from './staging-guard.js';
import { runLanes } from './lanes.js';
import { survivorshipPolicy } from './survivorship-policy.js';
import { heldMembers, releaseHeldMembers, type HeldMembers } from './match-plan-cache.js';
import { RecordIndex } from './record-index.js';

export interface SurviveMetrics extends Record<string, unknown> {
  goldenRecords: number;
  multiSourceRecords: number;
  /** Members survived from the records this process held since the match load, not read again from Postgres. */
  membersFromMemory: number;
}

const CLUSTERS_PER_PAGE = 5_000;

const RUN_GOLDEN: BulkTable = {
  table: 'run_golden',
  columns: [['run_id', 'text'], ['cluster_key', 'bigint'], ['attrs', 'jsonb'], ['lineage', 'json'], ['member_count', 'int'], ['content_hash', 'text'], ['minted_id', 'text']],
};

/**
 * Builds each cluster's golden attributes with the survivorship rules, keeping per
 * attribute the source record and rule that chose the value. Reads clusters a page at a
 * time, a few pages at once (a cluster never spans pages); a retry replaces the run's staged
 * golden records. Where this process still holds the records from the match load (a full run
 * on one worker), a page's members come from there rather than from Postgres.
 */
export async function surviveRunClusters(ctx: PipelineContext, runId: string, progress: ProgressReporter): Promise<SurviveMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const { sql } = ctx.database;
  const policy = survivorshipPolicy(settings);
  const held = policy.attributes.length > 0 ? await heldMembers(sql, runId, settings, policy.attributes) : null;
  const { pages, clusters: total } = held ? await heldPages(sql, runId, held) : await keyRangePages(sql, runId);
  await assertStaged(sql, runId, 'cluster', 'stagedClusters', total, 'run_clusters');
  await sql`delete from run_golden where run_id = ${runId}`;
  let done = 0;
  let membersRead = 0;
  let fromMemory = 0;
  let multiSource = 0;
  let nextPage = 0;
  const format = ctx.database.bulkCopy ? 'copy' : 'rows';
  // What a thread reads of the held records: their ids stay here, for placing the members.
  const heldColumns = held && (({ ids: _ids, ...columns }) => columns)(held);
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
      for (let p = nextPage++; p < pages.length && !stopped(); p = nextPage++) {
        const { lo, hi, members } = pages[p]!;
        let survived: SurvivePageResult | null = null;
        let read = 0;
        if (members && heldColumns) {
          survived = await ctx.runner.survivePage({ runId, policy, format, ...members, held: heldColumns });
          read = members.positions.length;
          fromMemory += read;
        } else if (policy.attributes.length > 0) {
          const page = await readPageText(db, runId, policy.attributes, lo, hi);
          survived = await ctx.runner.survivePage({ runId, policy, format, text: page.text, members: page.members });
          read = page.members;
        }
        if (survived === null || survived.unreadable) {
          // A value holding a separator: this page again, row by row, the attributes as JSON.
          const page = await db<MemberRow[]>`
            select c.cluster_key, r.id, r.source, r.source_id, ${sourceUpdatedMs(db)} as updated_ms, r.attrs::text as attrs
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
  await runLanes(Math.min(ctx.runner.threads + 1, pages.length), lane);
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
  releaseHeldMembers();
  return { goldenRecords: done, multiSourceRecords: multiSource, membersFromMemory: fromMemory };
}

/** A page of clusters: keys lo..hi; with `members`, those this process holds, to survive from memory. */
interface Page {
  lo: number;
  hi: number;
  members?: { clusterKeys: Float64Array; recordIds: Float64Array; positions: Int32Array };
}

/**
 * Pages of the run's clusters from their sorted keys, so each page is one index range: asking
 * for "the next 5,000 distinct keys" rescans the run's clusters for every page.
 */
async function keyRangePages(sql: Sql, runId: string): Promise<{ pages: Page[]; clusters: number }> {
  const keys = await sql<{ cluster_key: number }[]>`
    select distinct cluster_key from run_clusters where run_id = ${runId} order by cluster_key`;
  const pages: Page[] = [];
  for (let first = 0; first < keys.length; first += CLUSTERS_PER_PAGE) {
    pages.push({ lo: keys[first]!.cluster_key, hi: keys[Math.min(keys.length, first + CLUSTERS_PER_PAGE) - 1]!.cluster_key });
  }
  return { pages, clusters: keys.length };
}

/**
 * Pages of the run's staged members (cluster key and record id, read as one text rather than
 * a million row objects), each member placed in the held columns. A page with a member this
 * process does not hold is read from Postgres, as without them.
 */
async function heldPages(sql: Sql, runId: string, held: HeldMembers): Promise<{ pages: Page[]; clusters: number }> {
  const [staged] = await sql<{ n: number; text: string | null }[]>`
    select count(*)::int as n, string_agg(cluster_key::text || ' ' || record_id::text, ' ' order by cluster_key, record_id) as text
    from run_clusters where run_id = ${runId}`;
  const n = staged?.n ?? 0;
  const keys = new Float64Array(n);
  const ids = new Float64Array(n);
  const text = staged?.text ?? '';
  for (let i = 0, at = 0; i < 2 * n; i++) {
    let end = text.indexOf(' ', at);
    if (end < 0) end = text.length;
    (i % 2 === 0 ? keys : ids)[i >> 1] = Number(text.slice(at, end));
    at = end + 1;
  }
  const index = new RecordIndex(held.ids);
  const pages: Page[] = [];
  let clusters = 0;
  for (let start = 0; start < n;) {
    let end = start;
    for (let c = 0; c < CLUSTERS_PER_PAGE && end < n; c++, clusters++) {
      const key = keys[end]!;
      while (end < n && keys[end] === key) end++;
    }
    const positions = new Int32Array(end - start);
    let whole = true;
    for (let m = start; m < end; m++) {
      const position = index.of(ids[m]!);
      positions[m - start] = position;
      if (position < 0) whole = false;
    }
    const page: Page = { lo: keys[start]!, hi: keys[end - 1]! };
    if (whole) page.members = { clusterKeys: keys.slice(start, end), recordIds: ids.slice(start, end), positions };
    pages.push(page);
    start = end;
  }
  return { pages, clusters };
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
      c.cluster_key, r.id, r.source, r.source_id, coalesce(${sourceUpdatedMs(db)}::text, ''), ${packedAttributes(db, attributes)}), ${MEMBER_SEPARATOR}::text order by c.cluster_key, r.id) as text
    from run_clusters c join source_records r on r.id = c.record_id
    where c.run_id = ${runId} and c.cluster_key between ${lo} and ${hi}`;
  return { members: page?.members ?? 0, text: page?.text ?? '' };
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
