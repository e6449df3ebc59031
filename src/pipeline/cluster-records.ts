import { connectedComponents } from '../cluster/union-find.js';
import { bulkWrite, type BulkTable, type Cell } from '../db/bulk-write.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { runSettings } from './runs.js';
import { sourceNames } from './scope.js';

export interface ClusterMetrics extends Record<string, unknown> {
  records: number;
  clusters: number;
  largestCluster: number;
  singletons: number;
}

const WRITE_BATCH = 50_000;

const RUN_CLUSTERS: BulkTable = { table: 'run_clusters', columns: [['run_id', 'text'], ['record_id', 'bigint'], ['cluster_key', 'bigint']] };

/**
 * Groups records linked by matching pairs into clusters (connected components). Every
 * live customer record gets a cluster; its key is the smallest record id in it.
 */
export async function clusterRunRecords(ctx: PipelineContext, runId: string, progress: ProgressReporter): Promise<ClusterMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const { sql } = ctx.database;
  const names = sourceNames(settings);
  const idRows = await sql<{ id: number }[]>`
    select id from source_records
    where deployment = ${settings.name} and source = any(${names}) and deleted_at is null and record_class = 'customer' order by id`;
  const ids = Float64Array.from(idRows, (r) => r.id);
  const index = new Map<number, number>();
  ids.forEach((id, i) => index.set(id, i));
  const pairs = await sql<{ left_id: number; right_id: number }[]>`
    select left_id, right_id from match_pairs where run_id = ${runId} and band = 'match'`;
  const left: number[] = [];
  const right: number[] = [];
  for (const p of pairs) {
    const a = index.get(p.left_id);
    const b = index.get(p.right_id);
    // A record deleted or reclassified since scoring no longer links anything.
    if (a !== undefined && b !== undefined) {
      left.push(a);
      right.push(b);
    }
  }
  progress(0.3);
  const labels = connectedComponents(ids.length, left, right);
  const sizes = new Map<number, number>();
  for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  await sql`delete from run_clusters where run_id = ${runId}`;
  for (let start = 0; start < ids.length; start += WRITE_BATCH) {
    const end = Math.min(ids.length, start + WRITE_BATCH);
    const rows: Cell[][] = [];
    for (let k = start; k < end; k++) rows.push([runId, ids[k]!, ids[labels[k]!]!]);
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
  return { records: ids.length, clusters: sizes.size, largestCluster: largest, singletons };
}
