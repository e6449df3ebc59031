import type { Database } from '../db/client.js';
import { unpackLineage } from '../survive/packed-lineage.js';
import type { Lineage } from '../survive/survive-cluster.js';

export interface VersionChange {
  attribute: string;
  from: string | null;
  to: string | null;
  /** Where the new value came from, per the version's lineage. */
  source: string | null;
  sourceId: string | null;
  rule: string | null;
}

export interface HistoryVersion {
  version: number;
  change: string;
  runId: string;
  status: string;
  memberCount: number;
  mergedInto: string | null;
  /** ISO 8601, UTC. */
  validFrom: string;
  validTo: string | null;
  attrs: Record<string, string | null>;
  /** What differs from the version before (every value, for the first). */
  changes: VersionChange[];
}

export interface HistoryEvent {
  event: string;
  goldenId: string;
  relatedId: string | null;
  records: number;
  reason: string;
  runId: string;
  at: string;
}

export interface GoldenHistory {
  goldenId: string;
  current: { status: string; version: number; mergedInto: string | null };
  /** The active id this one lives on in: itself, or the end of its merged-into chain. */
  successor: string | null;
  versions: HistoryVersion[];
  /** Events of this id and those naming it (an id merged into it, one split from it). */
  events: HistoryEvent[];
}

/** How a golden record changed and why: its versions, with what each changed, and its events. */
export async function goldenHistory(database: Database, goldenId: string): Promise<GoldenHistory | null> {
  const { sql } = database;
  // drizzle's client hands timestamps back as server text, hence to_char to ISO 8601 below.
  const [current] = await sql<{ status: string; version: number; merged_into: string | null }[]>`
    select status, version, merged_into from golden_records where golden_id = ${goldenId}`;
  if (!current) return null;
  const rows = await sql<{ version: number; change: string; run_id: string; status: string; member_count: number; merged_into: string | null;
    valid_from: string; valid_to: string | null; attrs: Record<string, string | null>; lineage: unknown }[]>`
    select version, change, run_id, status, member_count, merged_into, 
      to_char(valid_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as valid_from,
      to_char(valid_to at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as valid_to, attrs, lineage
    from golden_history where golden_id = ${goldenId} order by version`;
  const versions = rows.map((r, i): HistoryVersion => ({
    version: r.version, change: r.change, runId: r.run_id, status: r.status, memberCount: r.member_count, mergedInto: r.merged_into,
    validFrom: r.valid_from, validTo: r.valid_to, attrs: r.attrs, changes: diff(rows[i - 1]?.attrs ?? {}, r.attrs, unpackLineage(r.lineage)),
  }));
  const events = await sql<{ event: string; golden_id: string; related_id: string | null; records: number; reason: string; run_id: string; created_at: string }[]>`
    select event, golden_id, related_id, records, reason, run_id, 
      to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at from golden_events
    where golden_id = ${goldenId} or related_id = ${goldenId} order by id`;
  return {
    goldenId,
    current: { status: current.status, version: current.version, mergedInto: current.merged_into },
    successor: await successorOf(database, goldenId),
    versions,
    events: events.map((e) => ({ event: e.event, goldenId: e.golden_id, relatedId: e.related_id, records: e.records, reason: e.reason, runId: e.run_id, at: e.created_at })),
  };
}

/** Follows merged-into links to an active id; null when the chain ends in an id retired for good. */
async function successorOf(database: Database, goldenId: string): Promise<string | null> {
  const [row] = await database.sql<{ golden_id: string | null }[]>`
    with recursive chain(golden_id, status, merged_into, depth) as (
      select golden_id, status, merged_into, 0 from golden_records where golden_id = ${goldenId}
      union all
      select g.golden_id, g.status, g.merged_into, c.depth + 1 from chain c join golden_records g on g.golden_id = c.merged_into
      where c.status = 'retired' and c.depth < 100)
    select golden_id from chain where status = 'active' limit 1`;
  return row?.golden_id ?? null;
}

function diff(before: Record<string, string | null>, after: Record<string, string | null>, lineage: Lineage): VersionChange[] {
  const changes: VersionChange[] = [];
  for (const attribute of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const from = before[attribute] ?? null;
    const to = after[attribute] ?? null;
    if (from === to) continue;
    const l = lineage[attribute];
    changes.push({ attribute, from, to, source: l?.source ?? null, sourceId: l?.sourceId ?? null, rule: l?.rule ?? null });
  }
  return changes;
}
