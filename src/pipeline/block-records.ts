import type { PipelineContext, ProgressReporter } from './context.js';
import { KEY_SEPARATOR, RecordPreparer } from './prepare-record.js';
import { runSettings } from './runs.js';
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
  // The pulls may have written most of the table: fresh statistics keep the joins below
  // (and the incremental stages' ones) off nested loops planned for a handful of rows.
  // After a few changes (as autovacuum judges it: a tenth of the table) they still hold.
  // Only the statements after the keying read them, so the analyze runs beside it, on a
  // connection of its own (a second of a million-record run, each).
  const analyzed = !scope || (await changedShare(sql, settings, scope)) > 0.1 ? sql`analyze source_records`.execute() : null;
  // Awaited after the keying; if the keying fails first, its failure is the one to report.
  analyzed?.catch(() => {});
  // Counted for progress only when there is more than a batch to key (a scan of every record).
  let total: number | null = null;
  let keyed = 0;
  let lastId = 0;
  for (;;) {
    const rows = await sql<{ id: number; attrs: Record<string, string | null> }[]>`
      select id, attrs from source_records r
      where ${liveCustomer(sql, settings)} and id > ${lastId}
        and block_stamp is distinct from ${stamp} || ':' || std_key
      order by id limit ${settings.run.batchSize}`;
    if (rows.length === 0) break;
    if (total === null && rows.length === settings.run.batchSize) {
      [{ total } = { total: 0 }] = await sql<{ total: number }[]>`
        select count(*)::int as total from source_records r
        where ${liveCustomer(sql, settings)}
          and block_stamp is distinct from ${stamp} || ':' || std_key`;
    }
    lastId = rows[rows.length - 1]!.id;
    const encoded = rows.map((r) => preparer.blockKeys(r.attrs).join(KEY_SEPARATOR));
    await sql`
      update source_records s set block_keys = string_to_array(u.keys, ${KEY_SEPARATOR}), block_stamp = ${stamp} || ':' || s.std_key
      from unnest(${rows.map((r) => r.id)}::bigint[], ${encoded}::text[]) as u(id, keys)
      where s.id = u.id`;
    keyed += rows.length;
    progress(total === null || total === 0 ? 0.9 : 0.9 * (keyed / total));
  }
  await analyzed;
  if (scope) await findTouchedRecords(sql, settings, runId, scope);
  progress(1);
  return { keyed, incrementalBase: base };
}

/**
 * An incremental run scores the blocks its changed records are in, whole: the records
 * sharing a key with a changed record, kept for the stages after (one scan of every key).
 */
async function findTouchedRecords(sql: Sql, settings: Settings, runId: string, scope: IncrementalScope): Promise<void> {
  await transaction(sql, async (tx) => {
    await tx`set local work_mem = '256MB'`;
    await tx`delete from run_touched_records where run_id = ${runId}`;
    await tx`
      insert into run_touched_records (run_id, record_id)
      select distinct ${runId}, r.id from source_records r, unnest(r.block_keys) as k
      where ${liveCustomer(sql, settings)}
        and k in (select t.k from source_records c, unnest(c.block_keys) as t(k) where ${liveCustomer(sql, settings, 'c')} and ${changedSince(sql, scope, 'c')})`;
  });
}

/** The share of the deployment's records changed since an incremental run's base (found by index), of the table's estimated size. */
async function changedShare(sql: Sql, settings: Settings, scope: IncrementalScope): Promise<number> {
  const [row] = await sql<{ changed: number; estimate: number }[]>`
    select (select count(*)::int from source_records r where r.deployment = ${settings.name} and ${changedSince(sql, scope)}) as changed,
           (select greatest(reltuples, 0)::float8 from pg_class where oid = 'source_records'::regclass) as estimate`;
  return row!.estimate > 0 ? row!.changed / row!.estimate : 1;
}
