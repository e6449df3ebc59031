import { constrainedComponents } from '../cluster/constrained-components.js';
import type { BulkTable } from '../db/bulk-write.js';
import { TableWriter } from '../db/table-writer.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { runSettings } from './runs.js';
import { changedClusters, type CommittedLink } from '../golden/changed-clusters.js';
import { heldRecordIds, releaseMatchPlan } from './match-plan-cache.js';
import type { Sql } from '../db/client.js';
import { changedSince, incrementalScope, liveCustomer, type IncrementalScope } from './incremental.js';
import { RecordIndex } from './record-index.js';
import { runLanes } from './lanes.js';

export interface ClusterMetrics extends Record<string, unknown> {
  records: number;
  clusters: number;
  largestCluster: number;
  singletons: number;
  /** Operator decisions applied (must-link and cannot-link), pairs they kept apart, and must-links that contradicted a cannot-link. */
  decisions: number;
  blockedPairs: number;
  conflictingDecisions: number;
  /** Incremental runs: the clusters staged for survive and commit (the rest are their golden records unchanged). */
  changedClusters?: number;
  /** Clusters written to run_clusters, which the survive stage checks it finds. */
  stagedClusters: number;
  /** Rows (records) written to run_clusters, which the survive stage checks it reads: the table has no key to refuse a record staged twice. */
  stagedRecords: number;
}

const WRITE_BATCH = 50_000;

const RUN_CLUSTERS: BulkTable = { table: 'run_clusters', columns: [['run_id', 'text'], ['record_id', 'bigint'], ['cluster_key', 'bigint']] };

/**
 * Groups records linked by matching pairs into clusters (connected components), honouring
 * operators' decisions: records decided the same are joined, records decided different are
 * never in one cluster. Every live customer record gets a cluster; its key is the smallest
 * record id in it.
 */
export async function clusterRunRecords(ctx: PipelineContext, runId: string, progress: ProgressReporter): Promise<ClusterMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const { sql } = ctx.database;
  const held = await heldRecordIds(sql, runId, settings);
  releaseMatchPlan();
  const scope = await incrementalScope(sql, runId);
  // Independent reads, side by side: Postgres works on one while this process parses another.
  const [ids, pairs, decisions, committed] = await Promise.all([
    held ?? sql<{ id: number }[]>`
      select id from source_records r
      where ${liveCustomer(sql, settings)} order by id`.then((rows) => Float64Array.from(rows, (r) => r.id)),
    sql<{ left_id: number; right_id: number; weight: number }[]>`
      select left_id, right_id, weight from match_pairs where run_id = ${runId} and band = 'match'`,
    sql<{ decision: string; left_id: number; right_id: number }[]>`
      select d.decision, a.id as left_id, b.id as right_id from match_decisions d
      join source_records a on a.deployment = d.deployment and a.source = d.left_source and a.source_id = d.left_source_id
      join source_records b on b.deployment = d.deployment and b.source = d.right_source and b.source_id = d.right_source_id
      where d.deployment = ${settings.name}`,
    scope ? readCommittedLinks(sql, settings.name, scope) : null,
  ]);
  const index = new RecordIndex(ids);
  const left: number[] = [];
  const right: number[] = [];
  const weight: number[] = [];
  for (const p of pairs) {
    const a = index.of(p.left_id);
    const b = index.of(p.right_id);
    // A record deleted or reclassified since scoring no longer links anything.
    if (a >= 0 && b >= 0) {
      left.push(a);
      right.push(b);
      weight.push(p.weight);
    }
  }
  const mustLink: Array<[number, number]> = [];
  const cannotLink: Array<[number, number]> = [];
  for (const d of decisions) {
    const a = index.of(d.left_id);
    const b = index.of(d.right_id);
    if (a >= 0 && b >= 0) (d.decision === 'same' ? mustLink : cannotLink).push([a, b]);
  }
  progress(0.3);
  const { labels, blockedPairs, conflictingDecisions } = constrainedComponents(ids.length, left, right, weight, { mustLink, cannotLink });
  const sizes = new Int32Array(ids.length);
  for (const l of labels) sizes[l]!++;
  // An incremental run stages only the clusters that changed; the others keep their golden records as they are.
  const changed = committed ? changedClusters(labels, committedLinks(committed, index)) : null;
  await sql`delete from run_clusters where run_id = ${runId}`;
  // Written cluster by cluster: the survive stage reads a range of cluster keys, which then
  // lies on a few pages of the table instead of one page per record.
  const order = byCluster(labels, sizes);
  // Two batches at a time, each on a connection of its own: the stage waited on one backend
  // taking rows in (index upkeep, mostly), with the other core idle. A retry starts by
  // deleting the run's staged clusters (see runLanes).
  let next = 0;
  let written = 0;
  let staged = 0;
  await runLanes(2, async (stopped) => {
    for (let start = next; start < ids.length && !stopped(); start = next) {
      next += WRITE_BATCH;
      const end = Math.min(ids.length, start + WRITE_BATCH);
      // A run id, two ids of up to 16 digits, two tabs and a newline a row.
      const batch = new TableWriter(ctx.database, RUN_CLUSTERS, (end - start) * (runId.length + 35));
      for (let o = start; o < end; o++) {
        const k = order[o]!;
        if (changed && !changed.has(labels[k]!)) continue;
        batch.cell(runId);
        batch.cell(ids[k]!);
        batch.cell(ids[labels[k]!]!);
        batch.endRow();
      }
      await batch.write();
      staged += batch.rows;
      written += end - start;
      progress(0.3 + 0.7 * (written / ids.length));
    }
  });
  // Fresh statistics, so the survive stage's range queries use the index at any size.
  await sql`analyze run_clusters`;
  let largest = 0;
  let singletons = 0;
  let clusters = 0;
  for (const n of sizes) {
    if (n === 0) continue;
    clusters++;
    if (n > largest) largest = n;
    if (n === 1) singletons++;
  }
  return {
    records: ids.length, clusters, largestCluster: largest, singletons,
    decisions: mustLink.length + cannotLink.length, blockedPairs, conflictingDecisions,
    ...(changed ? { changedClusters: changed.size } : {}),
    stagedClusters: changed ? changed.size : clusters,
    stagedRecords: staged,
  };
}

interface CommittedRows {
  links: Array<{ record: number; golden: string }>;
  touched: Array<{ id: number; golden: string | null }>;
}

/** The cross-reference's live links, and the records changed since the base with the golden record each was linked to. */
async function readCommittedLinks(sql: Sql, deployment: string, scope: IncrementalScope): Promise<CommittedRows> {
  const [links, touched] = await Promise.all([
    sql<{ record: number; golden: string }[]>`
      select source_record_id as record, golden_id as golden from xref
      where deployment = ${deployment} and status = 'linked' and golden_id is not null`,
    sql<{ id: number; golden: string | null }[]>`
      select r.id, x.golden_id as golden from source_records r left join xref x on x.source_record_id = r.id
      where r.deployment = ${deployment} and ${changedSince(sql, scope)}`,
  ]);
  return { links, touched };
}

/**
 * What the last commit linked each record to. A golden record counts as whole only when no
 * record it held changed since the base (deleted, reclassified or edited records leave it),
 * so its member count is the number of records still linked to it. Golden ids become numbers
 * (their order of appearance) so that the counting runs over typed arrays.
 */
function committedLinks({ links, touched }: CommittedRows, index: RecordIndex): CommittedLink {
  const n = index.size;
  const golden = new Int32Array(n).fill(-1);
  const changed = new Uint8Array(n);
  const number = new Map<string, number>();
  const members: number[] = [];
  for (const l of links) {
    const i = index.of(l.record);
    if (i < 0) continue;
    let g = number.get(l.golden);
    if (g === undefined) {
      g = members.length;
      number.set(l.golden, g);
      members.push(0);
    }
    golden[i] = g;
    members[g]!++;
  }
  const broken = new Uint8Array(members.length);
  for (const t of touched) {
    const i = index.of(t.id);
    if (i >= 0) changed[i] = 1;
    const g = t.golden === null ? undefined : number.get(t.golden);
    if (g !== undefined) broken[g] = 1;
  }
  const memberCount = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = golden[i]!;
    memberCount[i] = g < 0 || broken[g] ? -1 : members[g]!;
  }
  return { golden, memberCount, changed };
}

/** Record positions grouped by cluster (labels ascending), ascending within each: a counting sort. */
function byCluster(labels: ArrayLike<number>, sizes: Int32Array): Uint32Array {
  const next = new Uint32Array(sizes.length);
  for (let l = 1; l < sizes.length; l++) next[l] = next[l - 1]! + sizes[l - 1]!;
  const order = new Uint32Array(labels.length);
  for (let k = 0; k < labels.length; k++) order[next[labels[k]!]!++] = k;
  return order;
}
