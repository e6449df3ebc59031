import type { TransactionSql } from 'postgres';
import { validateSettings } from '../config/load-settings.js';
import { mintGoldenId } from '../golden/assign-golden-ids.js';
import type { Attributes } from '../model/attributes.js';
import type { PipelineContext } from '../pipeline/context.js';
import { RecordPreparer } from '../pipeline/prepare-record.js';
import { upsertRecordArrays } from '../pipeline/upsert-records.js';
import { contentHash, toJson } from '../pipeline/row-hash.js';
import { survivorshipPolicy } from '../pipeline/survivorship-policy.js';
import { transaction } from '../pipeline/transaction.js';
import { surviveCluster, type MemberRecord } from '../survive/survive-cluster.js';
import { packLineage } from '../survive/packed-lineage.js';
import { BadJobError } from '../errors.js';
import { importedSource, type ImportConfig } from '../config/import-config.js';
import { latestMasterRun } from './master-snapshot.js';
import { committedImports, withImportedSources } from './imported-sources.js';
import type { Settings } from '../config/settings-schema.js';

export interface CommitImportMetrics extends Record<string, unknown> {
  records: number;
  goldenCreated: number;
  goldenUpdated: number;
}

interface ItemRow {
  item_no: number;
  source_id: string;
  row_number: number;
  status: string;
  golden_id: string | null;
  duplicate_of: string | null;
  raw: Record<string, unknown>;
  content_hash: string;
  updated_at: string | null;
}

const BATCH = 5_000;

/**
 * Brings a reconciled import into the master in one transaction, as the reconciliation
 * decided: the acquired records become source records of a new source (kind `imported`),
 * matched ones join their golden record (survived again, with the source's trust), the
 * others form new golden records, and the cross-reference covers them all. Golden records
 * it changes are saved first, so a rollback can put them back exactly. It refuses when the
 * master committed anything since the reconciliation read it.
 */
export async function commitImport(ctx: PipelineContext, id: string, config: ImportConfig): Promise<CommitImportMetrics> {
  const { sql } = ctx.database;
  return transaction(sql, async (tx) => {
    const [rec] = await tx<{ status: string; deployment: string; master_run_id: string | null; master_imports: string[] | null; counts: Record<string, unknown> }[]>`
      select status, deployment, master_run_id, master_imports, counts from reconciliations where id = ${id} for update`;
    if (!rec) throw new BadJobError(`reconciliation ${id} does not exist`);
    if (rec.status === 'committed') return rec.counts.commit as CommitImportMetrics;
    if (rec.status !== 'reconciled') throw new BadJobError(`reconciliation ${id} is ${rec.status}: only a reconciled import can be committed`);
    const deployment = rec.deployment;
    await tx`select pg_advisory_xact_lock(hashtext(${`goldrun-commit:${deployment}`}))`;
    await refuseWhileRunning(tx, deployment, `commit import ${id}`);
    const lastRun = await latestMasterRun(tx, deployment);
    const imports = (await committedImports(tx, deployment)).map((c) => c.id).sort();
    if (lastRun.runId !== rec.master_run_id || imports.join() !== (rec.master_imports ?? []).join()) {
      throw new BadJobError(`the master changed since import ${id} was reconciled (${lastRun.runId !== rec.master_run_id ? `run ${lastRun.runId} completed` : 'an import was committed or rolled back'}): run the import again`);
    }
    const master = await withImportedSources(tx, lastRun.settings);
    refuseMismatch(master, config);
    const source = config.source.name;
    const [taken] = await tx<{ n: number }[]>`
      select (select count(*) from sources where deployment = ${deployment} and name = ${source})
           + (select count(*) from source_records where deployment = ${deployment} and source = ${source})::int as n`;
    if (taken!.n > 0) throw new BadJobError(`the master already has a source named ${source}: give the acquired source another name in the import config`);
    const settings = validateSettings({ ...master, sources: [...master.sources, importedSource(config, id)] }, { label: `import ${config.name}` });
    const preparer = new RecordPreparer(settings);

    const items = await tx<ItemRow[]>`
      select item_no, source_id, row_number, status, golden_id, duplicate_of, raw, content_hash, source_updated_at::text as updated_at
      from reconciliation_items where reconciliation_id = ${id} and source_id is not null and raw is not null order by item_no`;
    const prepared = items.map((i) => preparer.prepare(source, i.raw, i.content_hash));
    const recordId = new Map<string, number>();
    for (let start = 0; start < items.length; start += BATCH) {
      const part = items.slice(start, start + BATCH);
      const p = prepared.slice(start, start + BATCH);
      const rows = await upsertRecordArrays(tx, deployment, source, id, part.map((i, k) => ({
        sourceId: i.source_id, rowNumber: i.row_number, raw: toJson(i.raw), hash: i.content_hash, updatedAt: i.updated_at, prepared: p[k]!,
      })));
      for (const r of rows) recordId.set(r.source_id, Number(r.id));
    }

    // Each acquired customer joins the golden record its group matched, or the one its group's first record mints.
    const groups = new Map<string, MemberRecord[]>();
    const reasons = new Map<string, string>();
    items.forEach((item, k) => {
      if (prepared[k]!.recordClass !== 'customer') return;
      const lead = item.duplicate_of ?? item.source_id;
      const golden = item.golden_id ?? mintGoldenId(id, recordId.get(lead)!);
      if (!item.golden_id && !reasons.has(golden)) reasons.set(golden, item.status === 'ambiguous' ? `import ${config.name}: ambiguous, for review` : `import ${config.name}: new customer`);
      const member: MemberRecord = {
        recordId: recordId.get(item.source_id)!, source, sourceId: item.source_id,
        updatedAt: item.updated_at === null ? null : Date.parse(item.updated_at), attrs: JSON.parse(prepared[k]!.attrs) as Attributes,
      };
      (groups.get(golden) ?? groups.set(golden, []).get(golden)!).push(member);
    });
    const existing = [...groups.keys()].filter((g) => !reasons.has(g));
    await tx`
      insert into reconciliation_backups (reconciliation_id, golden_id, row)
      select ${id}, g.golden_id, to_jsonb(g) from golden_records g where g.golden_id = any(${existing}::text[])
      on conflict do nothing`;
    for (const m of await membersOf(tx, deployment, existing)) groups.get(m.golden)!.push(m.member);

    const policy = survivorshipPolicy(settings);
    const survived = [...groups].map(([golden, members]) => {
      const g = surviveCluster([...members].sort((a, b) => a.recordId - b.recordId), policy);
      return { golden, attrs: toJson(g.attrs), lineage: toJson(packLineage(g.lineage)), hash: contentHash({ attrs: g.attrs, lineage: g.lineage }), count: members.length };
    });
    const updates = survived.filter((s) => !reasons.has(s.golden));
    const creates = survived.filter((s) => reasons.has(s.golden));
    for (let start = 0; start < updates.length; start += BATCH) {
      const u = updates.slice(start, start + BATCH);
      await tx`
        update golden_records g set attrs = u.attrs::jsonb, lineage = u.lineage::json, content_hash = u.hash, member_count = u.n,
          version = g.version + 1, updated_run_id = ${id}, updated_at = now()
        from unnest(${u.map((s) => s.golden)}::text[], ${u.map((s) => s.attrs)}::text[], ${u.map((s) => s.lineage)}::text[],
                    ${u.map((s) => s.hash)}::text[], ${u.map((s) => s.count)}::int[]) as u(golden_id, attrs, lineage, hash, n)
        where g.golden_id = u.golden_id`;
    }
    for (let start = 0; start < creates.length; start += BATCH) {
      const c = creates.slice(start, start + BATCH);
      await tx`
        insert into golden_records (golden_id, deployment, entity_type, status, attrs, lineage, content_hash, member_count, created_run_id, updated_run_id)
        select u.golden_id, ${deployment}, ${settings.entity.type}, 'active', u.attrs::jsonb, u.lineage::json, u.hash, u.n, ${id}, ${id}
        from unnest(${c.map((s) => s.golden)}::text[], ${c.map((s) => s.attrs)}::text[], ${c.map((s) => s.lineage)}::text[],
                    ${c.map((s) => s.hash)}::text[], ${c.map((s) => s.count)}::int[]) as u(golden_id, attrs, lineage, hash, n)`;
      await tx`
        insert into golden_events (deployment, run_id, event, golden_id, related_id, records, reason)
        select ${deployment}, ${id}, 'mint', u.golden_id, null, u.n, u.reason
        from unnest(${c.map((s) => s.golden)}::text[], ${c.map((s) => s.count)}::int[], ${c.map((s) => reasons.get(s.golden)!)}::text[]) as u(golden_id, n, reason)`;
    }

    const goldenOf = new Map<number, string>();
    for (const [golden, members] of groups) for (const m of members) if (m.source === source) goldenOf.set(m.recordId, golden);
    const ids = items.map((i) => recordId.get(i.source_id)!);
    await tx`
      insert into xref (deployment, source, source_id, source_record_id, golden_id, status, run_id)
      select ${deployment}, ${source}, u.source_id, u.record_id, u.golden_id, u.status, ${id}
      from unnest(${items.map((i) => i.source_id)}::text[], ${ids}::bigint[], ${ids.map((r) => goldenOf.get(r) ?? null)}::text[],
                  ${prepared.map((p) => (p.recordClass === 'customer' ? 'linked' : p.recordClass))}::text[]) as u(source_id, record_id, golden_id, status)`;
    await tx`
      insert into sources (deployment, name, kind, last_run_id) values (${deployment}, ${source}, 'imported', ${id})`;
    const metrics: CommitImportMetrics = { records: items.length, goldenCreated: creates.length, goldenUpdated: updates.length };
    await tx`
      update reconciliations set status = 'committed', committed_at = clock_timestamp(), error = null, counts = counts || ${toJson({ commit: metrics })}::jsonb
      where id = ${id}`;
    return metrics;
  });
}

async function membersOf(tx: TransactionSql, deployment: string, goldenIds: string[]): Promise<Array<{ golden: string; member: MemberRecord }>> {
  const rows = await tx<{ golden_id: string; id: number; source: string; source_id: string; updated_ms: number | null; attrs: Attributes }[]>`
    select x.golden_id, r.id, r.source, r.source_id, (extract(epoch from r.source_updated_at) * 1000)::float8 as updated_ms, r.attrs
    from xref x join source_records r on r.id = x.source_record_id
    where x.deployment = ${deployment} and x.golden_id = any(${goldenIds}::text[]) and x.status = 'linked' and r.deleted_at is null`;
  return rows.map((r) => ({ golden: r.golden_id, member: { recordId: Number(r.id), source: r.source, sourceId: r.source_id, updatedAt: r.updated_ms, attrs: r.attrs } }));
}

/**
 * A run that started before an import's commit or rollback would commit golden records made
 * without (or with) its records: the import waits for it. (A run's commit also refuses when
 * the committed imports changed under it.)
 */
export async function refuseWhileRunning(tx: TransactionSql, deployment: string, what: string): Promise<void> {
  const [run] = await tx<{ id: string; status: string }[]>`
    select id, status from runs where deployment = ${deployment} and kind = 'match' and status in ('queued', 'running') order by created_at limit 1`;
  if (run) throw new BadJobError(`run ${run.id} of ${deployment} is ${run.status}: ${what} once it has finished`);
}

/**
 * Later runs link with the master's settings: a commit made with other thresholds or link
 * type would be split apart again by the next run.
 */
function refuseMismatch(master: Settings, config: ImportConfig): void {
  if (master.linkType !== 'link_and_dedupe') {
    throw new BadJobError(`the master links with linkType ${master.linkType}: its runs would not keep acquired records linked to its customers (link_and_dedupe is needed); this import can be reconciled, not committed`);
  }
  const t = config.thresholds;
  if (t && (t.match !== master.thresholds.match || t.review !== master.thresholds.review || master.thresholds.matchWeight !== undefined)) {
    throw new BadJobError(`the import's thresholds (match ${t.match}, review ${t.review}) differ from the master's, which every later run uses: remove them from the import config and run it again to commit`);
  }
}
