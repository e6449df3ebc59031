import { constrainedComponents } from '../cluster/constrained-components.js';
import { bulkWrite, type BulkTable, type Cell } from '../db/bulk-write.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { runSettings } from './runs.js';
import { changedClusters, type CommittedLink } from '../golden/changed-clusters.js';
import type { Sql } from '../db/client.js';
import { changedSince, incrementalScope, liveCustomer, type IncrementalScope } from './incremental.js';

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
  const scope = await incrementalScope(sql, runId);
  const idRows = await sql<{ id: number }[]>`
    select id from source_records r
    where ${liveCustomer(sql, settings)} order by id`;
  const ids = Float64Array.from(idRows, (r) => r.id);
  const index = new Map<number, number>();
  ids.forEach((id, i) => index.set(id, i));
  const pairs = await sql<{ left_id: number; right_id: number; weight: number }[]>`
    select left_id, right_id, weight from match_pairs where run_id = ${runId} and band = 'match'`;
  const left: number[] = [];
  const right: number[] = [];
  const weight: number[] = [];
  for (const p of pairs) {
    const a = index.get(p.left_id);
    const b = index.get(p.right_id);
    // A record deleted or reclassified since scoring no longer links anything.
    if (a !== undefined && b !== undefined) {
      left.push(a);
      right.push(b);
      weight.push(p.weight);
    }
  }
  const decisions = await sql<{ decision: string; left_id: number; right_id: number }[]>`
    select d.decision, a.id as left_id, b.id as right_id from match_decisions d
    join source_records a on a.deployment = d.deployment and a.source = d.left_source and a.source_id = d.left_source_id
    join source_records b on b.deployment = d.deployment and b.source = d.right_source and b.source_id = d.right_source_id
    where d.deployment = ${settings.name}`;
  const mustLink: Array<[number, number]> = [];
  const cannotLink: Array<[number, number]> = [];
  for (const d of decisions) {
    const a = index.get(d.left_id);
    const b = index.get(d.right_id);
    if (a !== undefined && b !== undefined) (d.decision === 'same' ? mustLink : cannotLink).push([a, b]);
  }
  progress(0.3);
  const { labels, blockedPairs, conflictingDecisions } = constrainedComponents(ids.length, left, right, weight, { mustLink, cannotLink });
  const sizes = new Map<number, number>();
  for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  // An incremental run stages only the clusters that changed; the others keep their golden records as they are.
  const changed = scope ? changedClusters(labels, await committedLinks(sql, settings.name, scope, ids, index)) : null;
  await sql`delete from run_clusters where run_id = ${runId}`;
  for (let start = 0; start < ids.length; start += WRITE_BATCH) {
    const end = Math.min(ids.length, start + WRITE_BATCH);
    const rows: Cell[][] = [];
    for (let k = start; k < end; k++) if (!changed || changed.has(labels[k]!)) rows.push([runId, ids[k]!, ids[labels[k]!]!]);
    await bulkWrite(ctx.database, RUN_CLUSTERS, rows);
    progress(0.3 + 0.7 * (end / ids.length));
  }
  // Fresh statistics, so the survive stage's range queries use the index at any size.
  await sql`analyze run_clusters`;
  let largest = 0;
  let singletons = 0;
  for (const n of sizes.values()) {
    if (n > largest) largest = n;
    if (n === 1) singletons++;
  }
  return {
    records: ids.length, clusters: sizes.size, largestCluster: largest, singletons,
    decisions: mustLink.length + cannotLink.length, blockedPairs, conflictingDecisions,
    ...(changed ? { changedClusters: changed.size } : {}),
  };
}

/**
 * What the last commit linked each record to. A golden record counts as whole only when no
 * record it held changed since the base (deleted, reclassified or edited records leave it),
 * so its member count is the number of records still linked to it.
 */
async function committedLinks(sql: Sql, deployment: string, scope: IncrementalScope, ids: Float64Array, index: Map<number, number>): Promise<CommittedLink> {
  const goldenId: Array<string | null> = new Array(ids.length).fill(null);
  const changed = new Uint8Array(ids.length);
  const members = new Map<string, number>();
  const links = await sql<{ record: number; golden: string }[]>`
    select source_record_id as record, golden_id as golden from xref
    where deployment = ${deployment} and status = 'linked' and golden_id is not null`;
  for (const l of links) {
    const i = index.get(l.record);
    if (i === undefined) continue;
    goldenId[i] = l.golden;
    members.set(l.golden, (members.get(l.golden) ?? 0) + 1);
  }
  const touched = await sql<{ id: number; golden: string | null }[]>`
    select r.id, x.golden_id as golden from source_records r left join xref x on x.source_record_id = r.id
    where r.deployment = ${deployment} and ${changedSince(sql, scope)}`;
  const brokenGolden = new Set<string>();
  for (const t of touched) {
    const i = index.get(t.id);
    if (i !== undefined) changed[i] = 1;
    if (t.golden !== null) brokenGolden.add(t.golden);
  }
  const memberCount = goldenId.map((g) => (g === null || brokenGolden.has(g) ? -1 : members.get(g)!));
  return { goldenId, memberCount, changed };
}
