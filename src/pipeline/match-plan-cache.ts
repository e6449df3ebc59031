import type { Settings } from '../config/settings-schema.js';
import type { Sql } from '../db/client.js';
import { matchPlanOf, type MatchPlan } from '../score/engine.js';
import { columnValues, type StringColumn } from '../model/columns.js';
import { incrementalScope, liveCustomer } from './incremental.js';
import { loadTouchedRecords, type LoadedRecords } from './load-records.js';
import { loadWholeRun, type LoadingDatabase } from './split-load.js';
import { survivorshipPolicy } from './survivorship-policy.js';

export interface RunMatchPlan {
  /** source_records ids, index = record index in the plan. */
  ids: Float64Array;
  plan: MatchPlan;
}

interface Entry extends RunMatchPlan {
  runId: string;
  stamp: string;
  /** Loaded whole (not an incremental run's touched records): `ids` are every live customer record. */
  whole: boolean;
  /** A whole load's survived values: what the survive stage reads from here (see heldMembers). */
  members?: MemberEntry;
}

/** What the survive stage reads of a whole load, kept past the plan (which is let go at the cluster stage). */
interface MemberEntry {
  runId: string;
  stamp: string;
  ids: Float64Array;
  source: Uint16Array;
  sources: string[];
  /** Every survived attribute's column, the compared ones shared with the plan. */
  columns: Record<string, StringColumn>;
  sourceIds: StringColumn;
  updatedMs: Float64Array;
}

/**
 * Per record of a held load (index as in its ids), what survive reads: source, source id,
 * change time and the survived attributes' values, all in shared memory, so a survive thread
 * reads them without a copy.
 */
export interface HeldMembers {
  ids: Float64Array;
  source: Uint16Array;
  sources: string[];
  /** In the order asked for. */
  attributes: StringColumn[];
  sourceIds: StringColumn;
  /** ms since the epoch; NaN where the source gives no change time. */
  updatedMs: Float64Array;
}

/**
 * The records, blocks and shards of a run, kept in this process after the first stage that
 * needs them: train and the score parts a worker takes then load a million records once,
 * not once each. Only the latest run is kept. The stamp (when a record last changed) catches
 * records changed behind the run's back, which reloads.
 */
let latest: Entry | null = null;
/** A plan being built: score parts taken side by side wait for the same load, not one each. */
let building: { runId: string; stamp: string; plan: Promise<Entry> } | null = null;
/** The latest whole load's members, kept once its plan is let go, until survive has read them. */
let members: MemberEntry | null = null;

export async function runMatchPlan(database: LoadingDatabase, runId: string, settings: Settings): Promise<RunMatchPlan> {
  const { sql } = database;
  const stamp = await recordsStamp(sql, settings);
  if (latest && latest.runId === runId && latest.stamp === stamp) return latest;
  if (building && building.runId === runId && building.stamp === stamp) return building.plan;
  latest = null; // let the old plan go before building the next
  members = null;
  const plan = loadRunPlan(database, runId, settings, stamp);
  building = { runId, stamp, plan };
  try {
    latest = await plan;
    return latest;
  } finally {
    if (building?.plan === plan) building = null;
  }
}

async function loadRunPlan(database: LoadingDatabase, runId: string, settings: Settings, stamp: string): Promise<Entry> {
  const { sql } = database;
  const scope = await incrementalScope(sql, runId);
  const loaded = scope
    ? await loadTouchedRecords(sql, settings, runId, scope)
    : await loadWholeRun(database, settings, { survived: survivorshipPolicy(settings).attributes });
  const population = scope ? await populationCounts(sql, settings, (attribute) => columnValues(loaded.columns.columns[attribute]!)) : undefined;
  const plan = matchPlanOf(loaded.columns, loaded.keys, settings, {
    changed: loaded.changed,
    population: population && ((attribute, values) => {
      const counts = population.get(attribute)!;
      return { counts: values.map((v) => counts.values.get(v) ?? 1), total: counts.total };
    }),
  });
  return { runId, stamp, ids: loaded.ids, plan, whole: scope === null, ...(loaded.members ? { members: memberEntry(runId, stamp, loaded) } : {}) };
}

function memberEntry(runId: string, stamp: string, loaded: LoadedRecords): MemberEntry {
  const { columns, members: m } = loaded;
  return {
    runId, stamp, ids: loaded.ids, source: columns.source, sources: columns.sources,
    columns: { ...columns.columns, ...m!.extra }, sourceIds: m!.sourceIds, updatedMs: m!.updatedMs,
  };
}

/**
 * Every live customer record's id, ascending, when this process holds the run's plan loaded
 * whole and no record changed since: the cluster stage reads them from here rather than
 * scanning the table for them again (a million records: about two seconds of Postgres).
 */
export async function heldRecordIds(sql: Sql, runId: string, settings: Settings): Promise<Float64Array | null> {
  const held = latest;
  if (!held || held.runId !== runId || !held.whole) return null;
  return held.stamp === (await recordsStamp(sql, settings)) ? held.ids : null;
}

/**
 * Lets the plan go once scoring is over: at a million records it is over a gigabyte of heap
 * that every garbage collection of the stages after it would walk. What survive reads of a
 * whole load stays (typed arrays, which the collector does not walk) until survive is done.
 */
export function releaseMatchPlan(): void {
  if (latest?.members) members = latest.members;
  latest = null;
  building = null;
}

/**
 * The run's records as a whole load read them, with the given attributes' columns, when this
 * process holds them and no record changed since: the survive stage takes its members from
 * here instead of reading each from the table (a million records: half of survive's Postgres
 * time, docs/benchmarks.md). Null otherwise, or if an attribute was not loaded.
 */
export async function heldMembers(sql: Sql, runId: string, settings: Settings, attributes: ReadonlyArray<string>): Promise<HeldMembers | null> {
  const held = latest?.runId === runId && latest.members ? latest.members : members?.runId === runId ? members : null;
  if (!held) return null;
  const columns = attributes.map((a) => held.columns[a]);
  if (columns.some((c) => c === undefined)) return null;
  if (held.stamp !== (await recordsStamp(sql, settings))) return null;
  return {
    ids: held.ids, source: held.source, sources: held.sources, attributes: columns as StringColumn[],
    sourceIds: held.sourceIds, updatedMs: held.updatedMs,
  };
}

/** Lets the survived values go too: survive has read them. */
export function releaseHeldMembers(): void {
  members = null;
}

/**
 * Term frequencies of a partial load come from every live record, as a full run's would:
 * per term-frequency attribute, how many records hold each value loaded, of how many with a value.
 *
 * Asked side by side, each on a connection of its own: how many records hold a value of
 * each attribute, in one aggregate that Postgres runs on parallel workers, and per attribute
 * the records holding a value loaded, picked out in the WHERE clause. Grouping every record
 * by "its value if loaded, else none", a query per attribute, took 7.0-8.5 s at a million
 * records, against 5.7-6.7 s.
 */
export async function populationCounts(
  sql: Sql,
  settings: Settings,
  /** The distinct values the loaded records hold for an attribute ('' and null left out). */
  loadedValues: (attribute: string) => string[],
): Promise<Map<string, { values: Map<string, number>; total: number }>> {
  const attributes = [...new Set(settings.comparisons.filter((c) => c.termFrequency).map((c) => c.attribute))];
  const out = new Map<string, { values: Map<string, number>; total: number }>();
  if (attributes.length === 0) return out;
  const heldCounts = attributes
    .map((a, i) => sql`count(*) filter (where coalesce(r.attrs->>${a}, '') <> '')::int as ${sql(`t${i}`)}`)
    .reduce((all, count) => sql`${all}, ${count}`);
  const [[held], ...perValue] = await Promise.all([
    sql<Array<Record<string, number>>>`select ${heldCounts} from source_records r where ${liveCustomer(sql, settings)}`,
    ...attributes.map((a) => sql<{ v: string; n: number }[]>`
      select r.attrs->>${a} as v, count(*)::int as n from source_records r
      where ${liveCustomer(sql, settings)} and r.attrs->>${a} = any(${loadedValues(a)}::text[]) and r.attrs->>${a} <> ''
      group by 1`),
  ]);
  attributes.forEach((a, i) => out.set(a, { values: new Map(perValue[i]!.map((r) => [r.v, r.n])), total: held?.[`t${i}`] ?? 0 }));
  return out;
}

/**
 * Every write that changes what a record is (content, class, deletion) moves its updated_at,
 * so the latest one of the deployment, read backwards off its index, tells whether the
 * records changed; a count of the live records made each score part scan them all.
 */
async function recordsStamp(sql: Sql, settings: Settings): Promise<string> {
  const [row] = await sql<{ changed: string | null }[]>`
    select max(updated_at)::text as changed from source_records where deployment = ${settings.name}`;
  return row?.changed ?? '';
}
