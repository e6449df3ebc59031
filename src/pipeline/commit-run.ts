import { assignGoldenIds, mintGoldenId, type Vote } from '../golden/assign-golden-ids.js';
import { lifecycleEvents, retireEvent, type LifecycleEvent, type LifecycleEventKind } from '../golden/lifecycle-events.js';
import type { TransactionSql } from 'postgres';
import type { PipelineContext, ProgressReporter } from './context.js';
import { runSettings } from './runs.js';
import { sourceNames } from './scope.js';
import { transaction } from './transaction.js';
import { BadJobError } from '../errors.js';
import { committedImports, importsIn } from '../imports/imported-sources.js';
import { changedSince, incrementalScope } from './incremental.js';
import { assertStaged, checkStaged, stagedCount } from './staging-guard.js';
import { deferIndexes } from '../db/deferred-indexes.js';
import { stagingXref } from './stage-xref.js';
import { clearStaging } from './clear-staging.js';

export interface CommitMetrics extends Record<string, unknown> {
  goldenRecords: number;
  created: number;
  updated: number;
  unchanged: number;
  retired: number;
  xrefRows: number;
  events: Record<LifecycleEventKind, number>;
}

const WRITE_BATCH = 50_000;

/**
 * Promotes the run's staged golden records in one transaction: golden ids are kept,
 * minted or retired (each a golden_events row), golden records upserted only when their
 * content changed (each change moves the version on, and golden_records' trigger keeps the
 * version it replaced in golden_versions), the cross-reference rewritten,
 * and the run marked completed. A crash anywhere rolls the
 * whole commit back; a commit of an already completed run changes nothing but removing
 * what the run staged, which happens after the transaction.
 */
export async function commitRun(ctx: PipelineContext, runId: string, progress: ProgressReporter, attempt = 1): Promise<CommitMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const deployment = settings.name;
  const names = sourceNames(settings);
  // Query fragments are built on the connection: the transaction's queries are guarded promises.
  const { sql } = ctx.database;
  // The cross-reference rows are joined on another connection while the transaction writes
  // the golden records and events (see stageXref). The embedded database serves one
  // connection, which the transaction would hold while waiting for them: there, first.
  const xrefStaged = stagingXref(sql, runId);
  if (!ctx.database.bulkCopy) await xrefStaged();
  const committed = await transaction(sql, async (tx) => {
    const [run] = await tx<{ status: string; counts: Record<string, unknown> }[]>`select status, counts from runs where id = ${runId} for update`;
    if (run?.status === 'completed') return run.counts.commit as CommitMetrics;
    await tx`select pg_advisory_xact_lock(hashtext(${`goldrun-commit:${deployment}`}))`;
    // Room to hash a million assigned ids in one batch: with the default 4 MB, the join that
    // feeds golden_records spilled both sides to disk (6.5 s against 2.4 s at a million).
    await tx`set local work_mem = '128MB'`;
    // An import committed or rolled back while the run ran: its golden records are not what the master now holds.
    const imports = (await committedImports(tx, deployment)).map((c) => c.id).sort();
    if (imports.join() !== importsIn(settings).join()) {
      throw new BadJobError(`the deployment's committed imports changed while run ${runId} ran (now: ${imports.join(', ') || 'none'}): start the run again`);
    }
    // An incremental run staged only the clusters that changed: golden records outside them stay as they are.
    const scope = await incrementalScope(tx, runId);

    // A deployment's first load has no golden record or cross-reference to update: plain
    // inserts, without ON CONFLICT's speculative insertion (measured 17.0 s -> 14.1 s for a
    // million cross-reference rows). Commits of a deployment hold its lock, so none appears meanwhile.
    const [{ firstLoad } = { firstLoad: false }] = await tx<{ firstLoad: boolean }[]>`
      select not exists (select 1 from golden_records where deployment = ${deployment})
         and not exists (select 1 from xref where deployment = ${deployment}) as "firstLoad"`;
    // A first load keeps no golden id: every cluster takes the id survive minted for it, read
    // from run_golden where it is needed. Otherwise the ids are voted for and kept in a narrow
    // table, joined below: setting them on the staged golden rows rewrote a million wide rows.
    let staged = 0;
    let events: LifecycleEvent[] = [];
    if (!firstLoad) {
      await tx`create temporary table run_assigned (cluster_key bigint primary key, golden_id text collate "C" not null, members int not null) on commit drop`;
      ({ staged, events } = await assignByVotes(tx, runId, deployment));
      await assertStaged(tx, runId, 'survive', 'goldenRecords', staged, 'run_golden');
      await tx`analyze run_assigned`;
    }
    const merges = events.filter((e) => e.event === 'merge');
    progress(0.3);

    // Before the golden records and the cross-reference move: an id no cluster kept, with
    // the records it had. An incremental run retires only ids its changed clusters and records held.
    // A first load has no golden record to retire.
    const retired = firstLoad ? [] : await tx<{ golden_id: string; merged_into: string | null; records: number }[]>`
      with ${scope ? sql`touched as materialized (
        select x.golden_id from run_clusters c join xref x on x.source_record_id = c.record_id
        where c.run_id = ${runId} and x.golden_id is not null
        union
        select x.golden_id from source_records r join xref x on x.source_record_id = r.id
        where r.deployment = ${deployment} and ${changedSince(sql, scope)} and x.golden_id is not null),` : sql``}
      gone as materialized (
        select g.golden_id from golden_records g
        ${scope ? sql`join touched t on t.golden_id = g.golden_id` : sql``}
        left join run_assigned a on a.golden_id = g.golden_id
        where g.deployment = ${deployment} and g.status = 'active' and a.golden_id is null),
      successor as (
        select * from unnest(${merges.map((e) => e.goldenId)}::text[], ${merges.map((e) => e.relatedId!)}::text[]) as s(old_id, new_id)),
      up as (
        update golden_records g set status = 'retired', merged_into = s.new_id, version = g.version + 1,
          updated_run_id = ${runId}, updated_at = now()
        from gone left join successor s on s.old_id = gone.golden_id
        where g.golden_id = gone.golden_id
        returning g.golden_id, g.merged_into)
      select up.golden_id, up.merged_into, (select count(*)::int from xref x where x.golden_id = up.golden_id) as records from up`;

    // A first load creates every record: counted as they are inserted, below.
    const [counts] = firstLoad ? [] : await tx<{ created: number; updated: number }[]>`
      select count(*) filter (where g.golden_id is null)::int as created,
             count(*) filter (where g.golden_id is not null and (g.content_hash <> rg.content_hash or g.member_count <> rg.member_count or g.status <> 'active'))::int as updated
      from run_golden rg join run_assigned a on a.cluster_key = rg.cluster_key left join golden_records g on g.golden_id = a.golden_id
      where rg.run_id = ${runId}`;

    // A fresh install's first load fills empty tables: their indexes are built once, after it.
    const rebuildIndexes = firstLoad
      ? await deferIndexes(tx, ['golden_records', 'golden_events', 'xref'])
      : async () => {};
    if (firstLoad) {
      // Counted as inserted, and checked against survive's count after the insert. Rows staged
      // without a minted id (before the column came) are not taken, and the check fails the commit.
      const expected = await stagedCount(tx, runId, 'survive', 'goldenRecords');
      staged = (await tx`
        insert into golden_records (golden_id, deployment, entity_type, status, attrs, lineage, content_hash, member_count, created_run_id, updated_run_id)
        select rg.minted_id, ${deployment}, ${settings.entity.type}, 'active', rg.attrs, rg.lineage, rg.content_hash, rg.member_count, ${runId}, ${runId}
        from run_golden rg where rg.run_id = ${runId} and rg.minted_id is not null`).count;
      checkStaged(runId, 'survive', 'run_golden', expected, staged);
    } else {
      await tx`
        insert into golden_records (golden_id, deployment, entity_type, status, attrs, lineage, content_hash, member_count, created_run_id, updated_run_id)
        select a.golden_id, ${deployment}, ${settings.entity.type}, 'active', rg.attrs, rg.lineage, rg.content_hash, rg.member_count, ${runId}, ${runId}
        from run_golden rg join run_assigned a on a.cluster_key = rg.cluster_key where rg.run_id = ${runId}
        on conflict (golden_id) do update set
          attrs = excluded.attrs, lineage = excluded.lineage, content_hash = excluded.content_hash,
          member_count = excluded.member_count, status = 'active', merged_into = null,
          version = golden_records.version + 1, updated_run_id = excluded.updated_run_id, updated_at = now()
        where golden_records.content_hash <> excluded.content_hash or golden_records.member_count <> excluded.member_count
           or golden_records.status <> 'active'`;
    }
    await ctx.failpoints.check('commit.golden', attempt);
    progress(0.6);

    for (const r of retired) if (r.merged_into === null) events.push(retireEvent(r.golden_id, r.records));
    if (firstLoad) await insertMintEvents(tx, deployment, runId);
    else await insertEvents(tx, deployment, runId, events);

    const xrefRows = await xrefStaged();
    const linked = await tx`
      insert into xref (deployment, source, source_id, source_record_id, golden_id, status, run_id)
      select ${deployment}, x.source, x.source_id, x.source_record_id, ${firstLoad ? sql`x.minted_id` : sql`a.golden_id`}, 'linked', ${runId}
      from run_xref x
      ${firstLoad ? sql`` : sql`join run_assigned a on a.cluster_key = x.cluster_key`}
      where x.run_id = ${runId} ${firstLoad ? sql`and x.minted_id is not null` : sql``}
      ${firstLoad ? sql`` : sql`on conflict (deployment, source, source_id) do update set
        golden_id = excluded.golden_id, source_record_id = excluded.source_record_id, status = excluded.status,
        run_id = excluded.run_id, updated_at = now()
      where xref.golden_id is distinct from excluded.golden_id or xref.status <> excluded.status
         or xref.source_record_id <> excluded.source_record_id`}`;
    // A first load inserts every row (a later run only those that change).
    if (firstLoad) checkStaged(runId, 'commit', 'run_xref', xrefRows, linked.count);
    // Before the records that are not customers go in: the cross-reference's rows are in its
    // key's order (stageXref), and its key is built from them as they lie. The bench's 800
    // such rows, appended to a million, made that build 1.09 s against 0.68 s (median of
    // three); inserted after it, they go through the indexes one by one, which pays while
    // they are a few in a thousand, as meters and test accounts usually are.
    await rebuildIndexes();
    // Records that are not customers, or were quarantined, are cross-referenced too, with no golden id.
    const unlinked = await tx`
      insert into xref (deployment, source, source_id, source_record_id, golden_id, status, run_id)
      select ${deployment}, r.source, r.source_id, r.id, null, r.record_class, ${runId}
      from source_records r
      where r.deployment = ${deployment} and r.source = any(${names}) and r.deleted_at is null and r.record_class <> 'customer'
        ${scope ? sql`and ${changedSince(sql, scope)}` : sql``}
      ${firstLoad ? sql`` : sql`on conflict (deployment, source, source_id) do update set
        golden_id = null, source_record_id = excluded.source_record_id, status = excluded.status, run_id = excluded.run_id, updated_at = now()
      where xref.golden_id is not null or xref.status <> excluded.status or xref.source_record_id <> excluded.source_record_id`}`;
    // A record deleted at the source leaves its golden record but keeps its id here, for lookups.
    await tx`
      update xref x set status = 'deleted', run_id = ${runId}, updated_at = now()
      from source_records r
      where x.deployment = ${deployment} and r.deployment = ${deployment} and r.id = x.source_record_id and r.deleted_at is not null
        and x.status <> 'deleted' ${scope ? sql`and ${changedSince(sql, scope)}` : sql``}`;
    progress(0.9);

    const [active] = scope
      ? await tx<{ n: number }[]>`select count(*)::int as n from golden_records where deployment = ${deployment} and status = 'active'`
      : [{ n: staged }];
    const created = firstLoad ? staged : counts?.created ?? 0;
    const metrics: CommitMetrics = {
      goldenRecords: active?.n ?? 0,
      created,
      updated: counts?.updated ?? 0,
      unchanged: (active?.n ?? 0) - created - (counts?.updated ?? 0),
      retired: retired.length,
      xrefRows: linked.count + unlinked.count,
      events: { mint: 0, split: 0, merge: 0, retire: 0 },
    };
    for (const e of events) metrics.events[e.event]++;
    if (firstLoad) metrics.events.mint = staged;
    await tx`
      update runs set status = 'completed', finished_at = now(), error = null,
        counts = counts || ${JSON.stringify({ commit: metrics })}::jsonb
      where id = ${runId}`;
    return metrics;
  }).finally(async () => {
    // Settled before this attempt ends, so that a retry's staging never runs beside it.
    await xrefStaged().catch(() => {});
  });
  // After the transaction, side by side on connections of their own (one backend did them
  // in turn while the other core idled): the run's staging goes, and a full run's tables get
  // statistics. Staging of a completed run is read by nothing, and a commit retried after a
  // crash here finds the run completed and comes back to this point.
  // A first commit writes a million rows the planner has no statistics for yet; the next
  // run's lookups of a few of them would be planned as scans of all of them. An incremental
  // run changes a few percent at most, which autovacuum's own analyze keeps up with.
  await ctx.failpoints.check('commit.cleanup', attempt);
  const full = (await incrementalScope(sql, runId)) === null;
  await Promise.all([
    clearStaging(sql, runId),
    ...(full ? [sql`analyze xref`, sql`analyze golden_records`, sql`analyze golden_versions`] : []),
  ]);
  return committed;
}

/**
 * Each cluster keeps the golden id that holds most of its records (assignGoldenIds) or gets
 * a new one; the events say which ids were kept, split, merged or minted.
 */
async function assignByVotes(tx: TransactionSql, runId: string, deployment: string): Promise<{ staged: number; events: LifecycleEvent[] }> {
  const clusterRows = await tx<{ cluster_key: number; member_count: number }[]>`
    select cluster_key, member_count from run_golden where run_id = ${runId} order by cluster_key`;
  const votes = await tx<{ cluster_key: number; golden_id: string; n: number }[]>`
    select c.cluster_key, x.golden_id, count(*)::int as n
    from run_clusters c
    join xref x on x.source_record_id = c.record_id
    join golden_records g on g.golden_id = x.golden_id and g.status = 'active'
    where c.run_id = ${runId} and x.deployment = ${deployment}
    group by c.cluster_key, x.golden_id`;
  const claims = votes.map((v): Vote => ({ clusterKey: v.cluster_key, goldenId: v.golden_id, records: v.n }));
  const assignment = assignGoldenIds(clusterRows.map((r) => r.cluster_key), claims, (key) => mintGoldenId(runId, key));
  const sizes = new Map(clusterRows.map((r) => [r.cluster_key, r.member_count]));
  const keys = [...assignment.keys()];
  for (let start = 0; start < keys.length; start += WRITE_BATCH) {
    const part = keys.slice(start, start + WRITE_BATCH);
    // As JSON text, which Postgres parses faster than postgres.js escapes arrays.
    await tx`
      insert into run_assigned (cluster_key, golden_id, members)
      select (e->>0)::bigint, e->>1, (e->>2)::int
      from json_array_elements(${JSON.stringify(part.map((k) => [k, assignment.get(k)!, sizes.get(k) ?? 0]))}::text::json) as e`;
  }
  return { staged: clusterRows.length, events: lifecycleEvents(claims, assignment, sizes) };
}

/**
 * A first load's mint events, one per cluster, written from the ids survive minted rather
 * than built and sent as 800,000 objects. Worded and ordered as lifecycleEvents does (by
 * golden id, in code-unit order, which the "C" collation keeps): the integration test holds
 * the two equal.
 */
async function insertMintEvents(tx: TransactionSql, deployment: string, runId: string): Promise<void> {
  await tx`
    insert into golden_events (deployment, run_id, event, golden_id, related_id, records, reason)
    select ${deployment}, ${runId}, 'mint', minted_id, null, member_count,
      'new entity of ' || member_count || case when member_count = 1 then ' source record' else ' source records' end
    from run_golden
    where run_id = ${runId} and minted_id is not null
    order by minted_id collate "C"`;
}

async function insertEvents(tx: TransactionSql, deployment: string, runId: string, events: ReadonlyArray<LifecycleEvent>): Promise<void> {
  for (let start = 0; start < events.length; start += WRITE_BATCH) {
    const part = events.slice(start, start + WRITE_BATCH);
    // As one JSON text, in order (the events' ids follow it): postgres.js escaped five
    // arrays element by element, 6 s of a first commit's 800,000 mint events.
    await tx`
      insert into golden_events (deployment, run_id, event, golden_id, related_id, records, reason)
      select ${deployment}, ${runId}, e.event, e."goldenId", e."relatedId", e.records, e.reason
      from json_to_recordset(${JSON.stringify(part)}::text::json) as e(event text, "goldenId" text, "relatedId" text, records int, reason text)`;
  }
}
