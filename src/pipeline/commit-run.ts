import { assignGoldenIds, mintGoldenId, type Vote } from '../golden/assign-golden-ids.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { runSettings } from './runs.js';
import { sourceNames } from './scope.js';
import { transaction } from './transaction.js';

export interface CommitMetrics extends Record<string, unknown> {
  goldenRecords: number;
  created: number;
  updated: number;
  unchanged: number;
  retired: number;
  xrefRows: number;
}

const WRITE_BATCH = 50_000;

/**
 * Promotes the run's staged golden records in one transaction: golden ids are kept,
 * minted or retired, golden records upserted (only when their content changed), the
 * cross-reference rewritten, and the run marked completed. A crash anywhere rolls the
 * whole commit back; a commit of an already completed run changes nothing.
 */
export async function commitRun(ctx: PipelineContext, runId: string, progress: ProgressReporter, attempt = 1): Promise<CommitMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const deployment = settings.name;
  const names = sourceNames(settings);
  return transaction(ctx.database.sql, async (tx) => {
    const [run] = await tx<{ status: string; counts: Record<string, unknown> }[]>`select status, counts from runs where id = ${runId} for update`;
    if (run?.status === 'completed') return run.counts.commit as CommitMetrics;
    await tx`select pg_advisory_xact_lock(hashtext(${`goldrun-commit:${deployment}`}))`;

    const clusterRows = await tx<{ cluster_key: number }[]>`select cluster_key from run_golden where run_id = ${runId} order by cluster_key`;
    const votes = await tx<{ cluster_key: number; golden_id: string; n: number }[]>`
      select c.cluster_key, x.golden_id, count(*)::int as n
      from run_clusters c
      join xref x on x.source_record_id = c.record_id
      join golden_records g on g.golden_id = x.golden_id and g.status = 'active'
      where c.run_id = ${runId} and x.deployment = ${deployment}
      group by c.cluster_key, x.golden_id`;
    const assignment = assignGoldenIds(
      clusterRows.map((r) => r.cluster_key),
      votes.map((v): Vote => ({ clusterKey: v.cluster_key, goldenId: v.golden_id, records: v.n })),
      (key) => mintGoldenId(runId, key),
    );
    const keys = [...assignment.keys()];
    for (let start = 0; start < keys.length; start += WRITE_BATCH) {
      const part = keys.slice(start, start + WRITE_BATCH);
      await tx`
        update run_golden rg set golden_id = u.golden_id
        from unnest(${part}::bigint[], ${part.map((k) => assignment.get(k)!)}::text[]) as u(cluster_key, golden_id)
        where rg.run_id = ${runId} and rg.cluster_key = u.cluster_key`;
    }
    progress(0.3);

    const [counts] = await tx<{ created: number; updated: number; unchanged: number }[]>`
      select count(*) filter (where g.golden_id is null)::int as created,
             count(*) filter (where g.golden_id is not null and (g.content_hash <> rg.content_hash or g.member_count <> rg.member_count or g.status <> 'active'))::int as updated,
             count(*) filter (where g.golden_id is not null and g.content_hash = rg.content_hash and g.member_count = rg.member_count and g.status = 'active')::int as unchanged
      from run_golden rg left join golden_records g on g.golden_id = rg.golden_id
      where rg.run_id = ${runId}`;

    await tx`
      insert into golden_records (golden_id, deployment, entity_type, status, attrs, lineage, content_hash, member_count, created_run_id, updated_run_id)
      select rg.golden_id, ${deployment}, ${settings.entity.type}, 'active', rg.attrs, rg.lineage, rg.content_hash, rg.member_count, ${runId}, ${runId}
      from run_golden rg where rg.run_id = ${runId}
      on conflict (golden_id) do update set
        attrs = excluded.attrs, lineage = excluded.lineage, content_hash = excluded.content_hash,
        member_count = excluded.member_count, status = 'active', merged_into = null,
        version = golden_records.version + 1, updated_run_id = excluded.updated_run_id, updated_at = now()
      where golden_records.content_hash <> excluded.content_hash or golden_records.member_count <> excluded.member_count
         or golden_records.status <> 'active'`;
    await ctx.failpoints.check('commit.golden', attempt);
    progress(0.6);

    // Before the cross-reference moves: a retired id's successor is the id that now holds most of its records.
    const retired = await tx<{ golden_id: string }[]>`
      with gone as materialized (
        select g.golden_id from golden_records g
        left join run_golden rg on rg.run_id = ${runId} and rg.golden_id = g.golden_id
        where g.deployment = ${deployment} and g.status = 'active' and rg.golden_id is null),
      successor as (
        select distinct on (x.golden_id) x.golden_id as old_id, rg.golden_id as new_id
        from xref x
        join run_clusters c on c.run_id = ${runId} and c.record_id = x.source_record_id
        join run_golden rg on rg.run_id = ${runId} and rg.cluster_key = c.cluster_key
        where x.deployment = ${deployment} and x.golden_id in (select golden_id from gone)
        group by x.golden_id, rg.golden_id
        order by x.golden_id, count(*) desc, rg.golden_id)
      update golden_records g set status = 'retired', merged_into = s.new_id, version = g.version + 1,
        updated_run_id = ${runId}, updated_at = now()
      from gone left join successor s on s.old_id = gone.golden_id
      where g.golden_id = gone.golden_id
      returning g.golden_id`;

    const linked = await tx`
      insert into xref (deployment, source, source_id, source_record_id, golden_id, status, run_id)
      select ${deployment}, r.source, r.source_id, r.id, rg.golden_id, 'linked', ${runId}
      from run_clusters c
      join source_records r on r.id = c.record_id
      join run_golden rg on rg.run_id = c.run_id and rg.cluster_key = c.cluster_key
      where c.run_id = ${runId}
      on conflict (deployment, source, source_id) do update set
        golden_id = excluded.golden_id, source_record_id = excluded.source_record_id, status = excluded.status,
        run_id = excluded.run_id, updated_at = now()
      where xref.golden_id is distinct from excluded.golden_id or xref.status <> excluded.status
         or xref.source_record_id <> excluded.source_record_id`;
    // Records that are not customers, or were quarantined, are cross-referenced too, with no golden id.
    const unlinked = await tx`
      insert into xref (deployment, source, source_id, source_record_id, golden_id, status, run_id)
      select ${deployment}, r.source, r.source_id, r.id, null, r.record_class, ${runId}
      from source_records r
      where r.deployment = ${deployment} and r.source = any(${names}) and r.deleted_at is null and r.record_class <> 'customer'
      on conflict (deployment, source, source_id) do update set
        golden_id = null, source_record_id = excluded.source_record_id, status = excluded.status, run_id = excluded.run_id, updated_at = now()
      where xref.golden_id is not null or xref.status <> excluded.status or xref.source_record_id <> excluded.source_record_id`;
    progress(0.9);

    const metrics: CommitMetrics = {
      goldenRecords: clusterRows.length,
      created: counts?.created ?? 0,
      updated: counts?.updated ?? 0,
      unchanged: counts?.unchanged ?? 0,
      retired: retired.length,
      xrefRows: linked.count + unlinked.count,
    };
    await tx`delete from run_clusters where run_id = ${runId}`;
    await tx`delete from run_golden where run_id = ${runId}`;
    await tx`
      update runs set status = 'completed', finished_at = now(), error = null,
        counts = counts || ${JSON.stringify({ commit: metrics })}::jsonb
      where id = ${runId}`;
    return metrics;
  });
}
