import type { Settings } from '../config/settings-schema.js';
import { validateSettings } from '../config/load-settings.js';
import type { TransactionSql } from 'postgres';
import type { Sql } from '../db/client.js';
import { BadJobError } from '../errors.js';
import type { ModelParams } from '../score/fellegi-sunter.js';
import { liveCustomer } from '../pipeline/incremental.js';
import type { Attributes } from '../model/attributes.js';

/** The master as its latest completed run left it: the settings and model the golden records came from. */
export interface MasterRun {
  runId: string;
  settings: Settings;
  params: ModelParams;
  finishedAt: string;
}

/** On a transaction too: a commit reads it under its lock (and the embedded database has one session). */
export async function latestMasterRun(sql: Sql | TransactionSql, deployment: string): Promise<MasterRun> {
  const [row] = await sql<{ id: string; settings: unknown; params: ModelParams; finished: string }[]>`
    select r.id, r.settings, m.params, r.finished_at::text as finished
    from runs r join run_models m on m.run_id = r.id
    where r.deployment = ${deployment} and r.status = 'completed' and r.kind = 'match'
    order by r.finished_at desc limit 1`;
  if (!row) throw new BadJobError(`deployment ${deployment} has no completed run to reconcile against: run \`goldrun run --config <its settings>\` first`);
  return { runId: row.id, settings: validateSettings(row.settings, { label: `run ${row.id} settings` }), params: row.params, finishedAt: row.finished };
}

export interface MasterRecords {
  ids: number[];
  sources: string[];
  attrs: Attributes[];
  blockKeys: string[][];
  goldenIds: string[];
}

/**
 * The master's linked customer records that share a blocking key with an acquired record:
 * the only ones a candidate pair can join. One scan of the deployment's records.
 */
export async function masterRecordsInBlocks(sql: Sql, settings: Settings, keys: ReadonlyArray<string>): Promise<MasterRecords> {
  const out: MasterRecords = { ids: [], sources: [], attrs: [], blockKeys: [], goldenIds: [] };
  if (keys.length === 0) return out;
  // Keys matched by a hash join: \`block_keys && $keys\` compares every key of every record
  // with every wanted key (minutes for 20,000 acquired records against 100,000).
  const rows = await sql<{ id: number; source: string; attrs: Attributes; block_keys: string[]; golden_id: string }[]>`
    with wanted as materialized (select distinct unnest(${keys as string[]}::text[]) as k),
    hits as materialized (
      select distinct r.id from source_records r cross join lateral unnest(r.block_keys) as b(k)
      where ${liveCustomer(sql, settings)} and b.k in (select k from wanted))
    select r.id, r.source, r.attrs, r.block_keys, x.golden_id
    from hits h join source_records r on r.id = h.id
    join xref x on x.source_record_id = r.id and x.status = 'linked' and x.golden_id is not null
    order by r.id`;
  for (const r of rows) {
    out.ids.push(r.id);
    out.sources.push(r.source);
    out.attrs.push(r.attrs);
    out.blockKeys.push(r.block_keys);
    out.goldenIds.push(r.golden_id);
  }
  return out;
}

/** Per attribute, the share of the deployment's active golden records holding a value. */
export async function masterFillRates(sql: Sql, deployment: string): Promise<Record<string, number>> {
  const [total] = await sql<{ n: number }[]>`select count(*)::int as n from golden_records where deployment = ${deployment} and status = 'active'`;
  const rows = await sql<{ k: string; n: number }[]>`
    select e.k, count(*)::int as n from golden_records g, jsonb_each_text(g.attrs) as e(k, v)
    where g.deployment = ${deployment} and g.status = 'active' and coalesce(e.v, '') <> '' group by e.k`;
  const n = total?.n ?? 0;
  return Object.fromEntries(rows.map((r) => [r.k, n === 0 ? 0 : r.n / n]));
}
