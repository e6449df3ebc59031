import type { Database } from '../db/client.js';
import { GoldrunError } from '../errors.js';

/** A source record as operators name it: `source:id`. */
export interface RecordRef {
  source: string;
  sourceId: string;
}

export type Decision = 'same' | 'different';

export function parseRecordRef(text: string): RecordRef {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new GoldrunError(`"${text}": name a record as source:id (e.g. crm:C-1001)`, { retryable: false });
  return { source: text.slice(0, colon), sourceId: text.slice(colon + 1) };
}

export const formatRef = (r: RecordRef) => `${r.source}:${r.sourceId}`;

const before = (a: RecordRef, b: RecordRef) => a.source < b.source || (a.source === b.source && a.sourceId < b.sourceId);

export interface ReviewTask {
  left: RecordRef & { attrs: Record<string, string | null> };
  right: RecordRef & { attrs: Record<string, string | null> };
  probability: number;
  weight: number;
  runId: string;
}

/**
 * Open review tasks: pairs of the latest completed run scored between the review and match
 * thresholds, that no decision covers yet, most likely matches first.
 */
export async function reviewTasks(database: Database, deployment: string, limit: number): Promise<ReviewTask[]> {
  const rows = await database.sql<{ run_id: string; probability: number; weight: number; ls: string; lid: string; la: Record<string, string | null>;
    rs: string; rid: string; ra: Record<string, string | null> }[]>`
    with latest as (
      select id from runs where deployment = ${deployment} and status = 'completed' order by finished_at desc nulls last limit 1)
    select p.run_id, p.probability, p.weight, a.source as ls, a.source_id as lid, a.attrs as la, b.source as rs, b.source_id as rid, b.attrs as ra
    from match_pairs p join latest on latest.id = p.run_id
    join source_records a on a.id = p.left_id join source_records b on b.id = p.right_id
    where p.band = 'review' and a.deleted_at is null and b.deleted_at is null
      and not exists (
        select 1 from match_decisions d where d.deployment = ${deployment}
          and ((d.left_source, d.left_source_id, d.right_source, d.right_source_id) = (a.source, a.source_id, b.source, b.source_id)
            or (d.left_source, d.left_source_id, d.right_source, d.right_source_id) = (b.source, b.source_id, a.source, a.source_id)))
    order by p.weight desc, a.source, a.source_id, b.source, b.source_id
    limit ${limit}`;
  return rows.map((r) => ({
    left: { source: r.ls, sourceId: r.lid, attrs: r.la ?? {} },
    right: { source: r.rs, sourceId: r.rid, attrs: r.ra ?? {} },
    probability: r.probability,
    weight: r.weight,
    runId: r.run_id,
  }));
}

/** Records (or replaces) a decision on a pair; it binds every run from the next one on. */
export async function recordDecision(database: Database, deployment: string, a: RecordRef, b: RecordRef, decision: Decision, by: string, note: string | null): Promise<void> {
  if (a.source === b.source && a.sourceId === b.sourceId) throw new GoldrunError(`${formatRef(a)}: a record is always the same as itself`, { retryable: false });
  await assertRecordsExist(database, deployment, [a, b]);
  await writeDecisions(database, deployment, [{ a, b, decision }], by, note);
}

/**
 * Splits records off a golden record by hand: each named record is decided different from
 * every other member, and the named records the same as each other. The next run applies it.
 */
export async function splitGolden(database: Database, goldenId: string, records: RecordRef[], by: string, note: string | null): Promise<{ deployment: string; staying: number }> {
  const members = await database.sql<{ deployment: string; source: string; source_id: string }[]>`
    select deployment, source, source_id from xref where golden_id = ${goldenId} and status = 'linked' order by source, source_id`;
  if (members.length === 0) throw new GoldrunError(`no golden record ${goldenId} with live records`, { retryable: false });
  const deployment = members[0]!.deployment;
  const named = new Set(records.map(formatRef));
  const known = new Set(members.map((m) => `${m.source}:${m.source_id}`));
  const strangers = [...named].filter((r) => !known.has(r));
  if (strangers.length > 0) throw new GoldrunError(`${strangers.join(', ')}: not a record of ${goldenId}`, { retryable: false });
  const staying = members.filter((m) => !named.has(`${m.source}:${m.source_id}`)).map((m) => ({ source: m.source, sourceId: m.source_id }));
  if (staying.length === 0) throw new GoldrunError(`that would take every record out of ${goldenId}: name only those that leave`, { retryable: false });
  const leaving = [...records].sort((x, y) => (before(x, y) ? -1 : 1));
  const decisions = [
    ...leaving.flatMap((a) => staying.map((b) => ({ a, b, decision: 'different' as const }))),
    ...leaving.slice(1).map((b) => ({ a: leaving[0]!, b, decision: 'same' as const })),
  ];
  await writeDecisions(database, deployment, decisions, by, note ?? `split from ${goldenId}`);
  return { deployment, staying: staying.length };
}

async function assertRecordsExist(database: Database, deployment: string, refs: RecordRef[]): Promise<void> {
  for (const r of refs) {
    const [row] = await database.sql`select 1 from source_records where deployment = ${deployment} and source = ${r.source} and source_id = ${r.sourceId}`;
    if (!row) throw new GoldrunError(`${formatRef(r)}: no such record in ${deployment}`, { retryable: false });
  }
}

async function writeDecisions(database: Database, deployment: string, decisions: Array<{ a: RecordRef; b: RecordRef; decision: Decision }>, by: string, note: string | null): Promise<void> {
  const ordered = decisions.map(({ a, b, decision }) => (before(a, b) ? { l: a, r: b, decision } : { l: b, r: a, decision }));
  await database.sql`
    insert into match_decisions (deployment, left_source, left_source_id, right_source, right_source_id, decision, decided_by, note)
    select ${deployment}, d.ls, d.lid, d.rs, d.rid, d.decision, ${by}, ${note}
    from unnest(${ordered.map((d) => d.l.source)}::text[], ${ordered.map((d) => d.l.sourceId)}::text[], ${ordered.map((d) => d.r.source)}::text[],
                ${ordered.map((d) => d.r.sourceId)}::text[], ${ordered.map((d) => d.decision)}::text[]) as d(ls, lid, rs, rid, decision)
    on conflict (deployment, left_source, left_source_id, right_source, right_source_id) do update set
      decision = excluded.decision, decided_by = excluded.decided_by, note = excluded.note, created_at = now()`;
}
