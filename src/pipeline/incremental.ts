import type { PendingQuery, Row, TransactionSql } from 'postgres';
import type { Settings } from '../config/settings-schema.js';
import type { Sql } from '../db/client.js';

/** A connection or a transaction: both build the same queries. */
type Queryable = Sql | TransactionSql;

/**
 * An incremental run builds on the deployment's latest completed run with the same settings
 * (its base): only the records changed since the base are re-scored, against the blocks
 * they are in, the base's other pairs are carried over, and only clusters that differ from
 * the committed golden records are survived and committed. Carrying pairs over is sound
 * only while they were scored with the same settings and model, so a run is incremental
 * when such a base exists, its model is still young enough to reuse (`model.reuseForDays`),
 * no model file is named (its content may change under the same name), and no full run was
 * asked for. Golden records are compared with what is committed now, whichever run
 * committed it.
 */
export interface IncrementalScope {
  baseRunId: string;
  /** Records written after this instant, or by a run created after the base, changed since the base scored them. */
  baseFinishedAt: string;
  laterRunIds: string[];
}

/**
 * The latest completed run of the deployment with this run's settings fingerprint whose
 * model is younger than `days`: the run whose model a run reuses, and an incremental run's base.
 */
export async function latestReusableRun(sql: Sql, runId: string, days: number): Promise<string | null> {
  const [row] = await sql<{ id: string }[]>`
    select r.id
    from runs me
    join runs r on r.deployment = me.deployment and r.fingerprint = me.fingerprint and r.status = 'completed' and r.id <> me.id
    join run_models m on m.run_id = r.id
    where me.id = ${runId} and m.created_at > now() - make_interval(days => ${days})
    order by r.finished_at desc nulls last limit 1`;
  return row?.id ?? null;
}

/** Decides, once per run (the block stage), which completed run it builds on, and keeps the answer on the run. */
export async function chooseIncrementalBase(sql: Sql, runId: string, settings: Settings): Promise<string | null> {
  const [me] = await sql<{ full: boolean }[]>`select r.full from runs r where r.id = ${runId}`;
  const reusable = !settings.model.file && settings.model.reuseForDays > 0 && !me?.full;
  const base = reusable ? await latestReusableRun(sql, runId, settings.model.reuseForDays) : null;
  await sql`update runs set base_run_id = ${base} where id = ${runId}`;
  return base;
}

/** The run's incremental scope, or null when it rescores everything. */
export async function incrementalScope(sql: Queryable, runId: string): Promise<IncrementalScope | null> {
  const [row] = await sql<{ base: string | null; finished: string | null; created: string | null; deployment: string }[]>`
    select me.base_run_id as base, b.finished_at::text as finished, b.created_at::text as created, me.deployment
    from runs me left join runs b on b.id = me.base_run_id where me.id = ${runId}`;
  if (!row?.base || !row.finished || !row.created) return null;
  // Times must keep their microseconds here: cut to a Date's milliseconds, the base (created at
  // .05759) fell after its own time (.057), counted as a later run, and every record it wrote
  // as changed. Every goldrun client sends times as text (connect(), src/db/client.ts).
  const later = await sql<{ id: string }[]>`
    select id from runs where deployment = ${row.deployment} and created_at > ${row.created}::timestamptz`;
  return { baseRunId: row.base, baseFinishedAt: row.finished, laterRunIds: later.map((r) => r.id) };
}

/** SQL condition: source record `r` changed since the base scored it (written, deleted or reclassified). */
export function changedSince(sql: Queryable, scope: IncrementalScope, alias = 'r'): PendingQuery<Row[]> {
  const t = sql(alias);
  return sql`(${t}.updated_at > ${scope.baseFinishedAt}::timestamptz or ${t}.last_run_id = any(${scope.laterRunIds}::text[]))`;
}

/** SQL condition: source record `r` is a live customer record of the run's sources. */
export function liveCustomer(sql: Queryable, settings: Settings, alias = 'r'): PendingQuery<Row[]> {
  const t = sql(alias);
  return sql`(${t}.deployment = ${settings.name} and ${t}.source = any(${settings.sources.map((s) => s.name)}::text[])
    and ${t}.deleted_at is null and ${t}.record_class = 'customer')`;
}
