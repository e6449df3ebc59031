import type { Settings } from '../config/settings-schema.js';
import type { Sql } from '../db/client.js';
import { buildMatchPlan, type MatchPlan } from '../score/engine.js';
import { loadMatchRecords } from './load-records.js';
import { sourceNames } from './scope.js';

export interface RunMatchPlan {
  /** source_records ids, index = record index in the plan. */
  ids: Float64Array;
  plan: MatchPlan;
}

interface Entry extends RunMatchPlan {
  runId: string;
  stamp: string;
}

/**
 * The records, blocks and shards of a run, kept in this process after the first stage that
 * needs them: train and the score parts a worker takes then load a million records once,
 * not once each. Only the latest run is kept. The stamp (how many live records, and when one
 * last changed) catches records changed behind the run's back, which reloads.
 */
let latest: Entry | null = null;

export async function runMatchPlan(sql: Sql, runId: string, settings: Settings): Promise<RunMatchPlan> {
  const stamp = await recordsStamp(sql, settings);
  if (latest && latest.runId === runId && latest.stamp === stamp) return latest;
  latest = null; // let the old plan go before building the next
  const loaded = await loadMatchRecords(sql, settings);
  const plan = buildMatchPlan(loaded.records, settings, loaded.keys);
  latest = { runId, stamp, ids: loaded.ids, plan };
  return latest;
}

async function recordsStamp(sql: Sql, settings: Settings): Promise<string> {
  const [row] = await sql<{ n: number; changed: string | null }[]>`
    select count(*)::int as n, max(updated_at)::text as changed from source_records
    where deployment = ${settings.name} and source = any(${sourceNames(settings)}) and deleted_at is null and record_class = 'customer'`;
  return `${row?.n ?? 0}:${row?.changed ?? ''}`;
}
