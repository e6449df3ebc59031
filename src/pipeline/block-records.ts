import type { PipelineContext, ProgressReporter } from './context.js';
import { KEY_SEPARATOR } from '../block/key-texts.js';
import { RecordPreparer } from './prepare-record.js';
import { runSettings } from './runs.js';
import { refreshRecordStatistics } from './record-statistics.js';
import { transaction } from './transaction.js';
import { changedSince, chooseIncrementalBase, incrementalScope, liveCustomer, type IncrementalScope } from './incremental.js';
import type { Settings } from '../config/settings-schema.js';
import type { Sql } from '../db/client.js';

export interface BlockMetrics extends Record<string, unknown> {
  keyed: number;
  /** The completed run this one builds on; then only the blocks its changed records touch are scored. */
  incrementalBase: string | null;
}

/**
 * Computes each customer record's blocking keys ("rule:key") where its attributes or the
 * rules changed. It also decides whether the run is incremental, and then finds the records
 * in the changed records' blocks. The blocks are sized where they are planned, for scoring
 * (see blockingSummary).
 */
export async function blockRecords(ctx: PipelineContext, runId: string, progress: ProgressReporter): Promise<BlockMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const { sql } = ctx.database;
  const preparer = new RecordPreparer(settings);
  const stamp = preparer.blockStamp;
  const base = await chooseIncrementalBase(sql, runId, settings);
  const scope = base ? await incrementalScope(sql, runId) : null;
  // Statistics for the joins below and the incremental stages' ones, when the standardize
  // stage's rewrites made them stale (it takes them when the pulls did).
  await refreshRecordStatistics(sql);
  const unkeyed = () => sql`${liveCustomer(sql, settings)} and block_stamp is distinct from ${stamp} || ':' || std_key`;
  // The pulls key what they write, so this usually finds nothing: counted first, on both
  // cores, as the standardize stage counts (0.5 s against 0.8 s at a million records).
  const [{ total, first } = { total: 0, first: null }] = await sql<{ total: number; first: number | null }[]>`
    select count(*)::int as total, min(id) as first from source_records r where ${unkeyed()}`;
  let keyed = 0;
  let lastId = first === null ? null : first - 1;
  while (lastId !== null) {
    const rows = await sql<{ id: number; attrs: Record<string, string | null> }[]>`
      select id, attrs from source_records r
      where ${unkeyed()} and id > ${lastId}
      order by id limit ${settings.run.batchSize}`;
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1]!.id;
    const encoded = rows.map((r) => preparer.blockKeys(r.attrs).join(KEY_SEPARATOR));
    await sql`
      update source_records s set block_keys = string_to_array(u.keys, ${KEY_SEPARATOR}), block_stamp = ${stamp} || ':' || s.std_key
      from unnest(${rows.map((r) => r.id)}::bigint[], ${encoded}::text[]) as u(id, keys)
      where s.id = u.id`;
    keyed += rows.length;
    progress(0.9 * Math.min(1, keyed / total));
  }
  if (scope) await findTouchedRecords(sql, settings, runId, scope);
  progress(1);
  return { keyed, incrementalBase: base };
}

/**
 * An incremental run scores the blocks its changed records are in, whole: the records
 * sharing a key with a changed record, kept for the stages after (one scan of every key).
 *
 * They are found into a temporary table first, then staged: Postgres 15 runs no part of
 * an INSERT in parallel, and this scan joins every record's keys (a million records with 1%
 * changed: 6.8-7.3 s as one INSERT, 3.3-4.1 s found by two workers beside the backend).
 */
async function findTouchedRecords(sql: Sql, settings: Settings, runId: string, scope: IncrementalScope): Promise<void> {
  await transaction(sql, async (tx) => {
    await tx`set local work_mem = '256MB'`;
    await tx`delete from run_touched_records where run_id = ${runId}`;
    await tx`
      create temporary table touched_records on commit drop as
      select distinct r.id from source_records r, unnest(r.block_keys) as k
      where ${liveCustomer(sql, settings)}
        and k in (select t.k from source_records c, unnest(c.block_keys) as t(k) where ${liveCustomer(sql, settings, 'c')} and ${changedSince(sql, scope, 'c')})`;
    await tx`insert into run_touched_records (run_id, record_id) select ${runId}, id from touched_records`;
  });
}
