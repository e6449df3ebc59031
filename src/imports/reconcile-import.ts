import { createConnector } from '../connectors/create-connector.js';
import { insertRows, type BulkTable, type Cell } from '../db/bulk-write.js';
import { BadJobError } from '../errors.js';
import { transaction } from '../pipeline/transaction.js';
import { importsIn, withImportedSources } from './imported-sources.js';
import type { Attributes } from '../model/attributes.js';
import type { PipelineContext, ProgressReporter } from '../pipeline/context.js';
import { populationCounts } from '../pipeline/match-plan-cache.js';
import { toJson } from '../pipeline/row-hash.js';
import { scanRows, type ScanTotals } from '../pipeline/scan-rows.js';
import { survivorshipPolicy } from '../pipeline/survivorship-policy.js';
import { buildMatchPlan, scoreCandidates } from '../score/engine.js';
import { probabilityFromWeight } from '../score/fellegi-sunter.js';
import { attributeConflicts, nicknameEquivalence, type GoldenSide } from '../reconcile/conflicts.js';
import { unpackLineage } from '../survive/packed-lineage.js';
import { attributeTypes } from '../config/load-settings.js';
import { loadNicknames } from '../standardize/nicknames.js';
import { reconciliationCounts } from '../reconcile/counts.js';
import { attributeCoverage } from '../reconcile/coverage.js';
import { importSettings, type ImportConfig } from '../config/import-config.js';
import { linkAcquired } from '../reconcile/link-acquired.js';
import { latestMasterRun, masterFillRates, masterRecordsInBlocks } from './master-snapshot.js';
import type { ReconciliationCounts, ReconciliationItem } from '../reconcile/types.js';

const ITEMS: BulkTable = {
  table: 'reconciliation_items',
  columns: [
    ['reconciliation_id', 'text'], ['item_no', 'int'], ['source_id', 'text'], ['row_number', 'int'], ['status', 'text'],
    ['golden_id', 'text'], ['probability', 'float8'], ['candidates', 'jsonb'], ['duplicate_of', 'text'], ['reason', 'text'],
    ['attrs', 'jsonb'], ['conflicts', 'jsonb'], ['raw', 'jsonb'], ['content_hash', 'text'], ['source_updated_at', 'timestamptz'],
  ],
};
const WRITE_BATCH = 5_000;

/** An acquired record as read, before it is linked. */
interface Acquired {
  item: ReconciliationItem;
  raw: string | null;
  hash: string | null;
  updatedAt: string | null;
  blockKeys: string[];
  invalid: Set<string>;
}

export interface ReconcileMetrics extends Record<string, unknown> {
  counts: ReconciliationCounts;
  masterRunId: string;
  candidatePairs: number;
  masterRecordsCompared: number;
  pulled: ScanTotals['pulled'];
}

/**
 * Reconciles the acquired source against the master's golden records and stores the
 * result (items, counts, coverage), replacing what an earlier attempt stored. Reads the
 * master, never writes it: this is the whole of a dry run.
 */
export async function reconcileImport(ctx: PipelineContext, id: string, config: ImportConfig, progress: ProgressReporter): Promise<ReconcileMetrics> {
  const { sql } = ctx.database;
  const lastRun = await latestMasterRun(sql, config.master);
  // The master is its latest run's records plus those of imports committed since.
  const master = { ...lastRun, settings: await withImportedSources(sql, lastRun.settings) };
  const settings = importSettings(master.settings, config, `import ${config.name}`);
  const source = settings.sources.find((s) => s.name === config.source.name)!;

  const acquired: Acquired[] = [];
  const scan = scanRows({ settings, source: source.name, known: new Map(), since: null, batchSize: settings.run.batchSize }, createConnector(source, ctx.secrets));
  let totals: ScanTotals;
  for (;;) {
    const next = await scan.next();
    if (next.done) {
      totals = next.value;
      break;
    }
    for (const r of next.value.pending) {
      const p = r.prepared;
      const attrs = JSON.parse(p.attrs) as Attributes;
      const issues = p.issues ? (JSON.parse(p.issues) as Array<{ field: string }>) : [];
      const status = p.recordClass === 'customer' ? 'new' : p.recordClass === 'excluded' ? 'not_customer' : 'quarantined';
      acquired.push({
        item: blankItem(r.sourceId, r.rowNumber, status, p.classReason, attrs),
        raw: r.raw, hash: r.hash, updatedAt: r.updatedAt, blockKeys: p.blockKeys ?? [],
        invalid: new Set(issues.map((i) => i.field).filter((f) => attrs[f] === null)),
      });
    }
    // A rejected record is both pending (stored, as quarantined) and bad: it is an item once.
    const rejected = new Set(next.value.pending.filter((r) => r.prepared.rejection).map((r) => `${r.rowNumber}:${r.sourceId}`));
    for (const b of next.value.bad) {
      if (b.sourceId !== null && rejected.has(`${b.rowNumber}:${b.sourceId}`)) continue;
      acquired.push({
        item: blankItem(b.sourceId, b.rowNumber, 'quarantined', `${b.field ? `${b.field}: ` : ''}${b.reason}`, {}),
        raw: null, hash: null, updatedAt: null, blockKeys: [], invalid: new Set(),
      });
    }
    progress(0.3 * next.value.progress);
  }
  acquired.sort((a, b) => a.item.rowNumber - b.item.rowNumber);
  acquired.forEach((a, k) => (a.item.itemNo = k + 1));
  const customers = acquired.filter((a) => a.item.status === 'new');

  const keys = [...new Set(customers.flatMap((c) => c.blockKeys))];
  const masterRecords = await masterRecordsInBlocks(sql, master.settings, keys);
  progress(0.4);
  const m = masterRecords.ids.length;
  const records = [
    ...masterRecords.attrs.map((attrs, i) => ({ source: masterRecords.sources[i]!, attrs })),
    ...customers.map((c) => ({ source: source.name, attrs: c.item.attrs })),
  ];
  const ruleKeys = settings.blocking.rules.map(() => new Array<string | null>(records.length).fill(null));
  const place = (list: ReadonlyArray<string>, index: number) => {
    for (const k of list) {
      const colon = k.indexOf(':');
      ruleKeys[Number(k.slice(0, colon))]![index] = k.slice(colon + 1);
    }
  };
  masterRecords.blockKeys.forEach((list, i) => place(list, i));
  customers.forEach((c, i) => place(c.blockKeys, m + i));
  const population = await populationCounts(sql, master.settings, (attribute) =>
    [...new Set(records.map((r) => r.attrs[attribute]).filter((v): v is string => typeof v === 'string' && v !== ''))]);
  const plan = buildMatchPlan(records, settings, ruleKeys, {
    changed: records.map((_, i) => i >= m),
    population: (attribute, values) => {
      const counts = population.get(attribute)!;
      return { counts: values.map((v) => counts.values.get(v) ?? 1), total: counts.total };
    },
  });
  const scored = await scoreCandidates(ctx.runner, plan, master.params, settings.thresholds);
  progress(0.7);

  const toGolden = customers.map(() => new Map<string, number>());
  const within: Array<[number, number, number]> = [];
  for (let e = 0; e < scored.left.length; e++) {
    const a = scored.left[e]!;
    const b = scored.right[e]!;
    const p = probabilityFromWeight(scored.weight[e]!);
    if (a >= m && b >= m) {
      if (scored.weight[e]! >= scored.matchWeight) within.push([a - m, b - m, p]);
    } else {
      const [mine, theirs] = a >= m ? [a - m, b] : [b - m, a];
      const golden = masterRecords.goldenIds[theirs]!;
      const map = toGolden[mine]!;
      map.set(golden, Math.max(map.get(golden) ?? 0, p));
    }
  }
  const decisions = linkAcquired({
    count: customers.length, toGolden, within,
    match: probabilityFromWeight(scored.matchWeight), review: probabilityFromWeight(scored.reviewWeight),
  });
  decisions.forEach((d, i) => {
    const item = customers[i]!.item;
    Object.assign(item, {
      status: d.status, goldenId: d.goldenId, probability: d.probability, candidates: d.candidates,
      duplicateOf: d.duplicateOf === null ? null : customers[d.duplicateOf]!.item.sourceId,
    });
  });

  const masterAttributes = survivorshipPolicy(master.settings).attributes;
  const compared = Object.keys(config.source.fields).filter((a) => masterAttributes.includes(a));
  const goldenIds = [...new Set(customers.map((c) => c.item.goldenId).filter((g): g is string => g !== null))];
  const golden = new Map((await sql<{ golden_id: string; attrs: Attributes; lineage: unknown }[]>`
    select golden_id, attrs, lineage from golden_records where golden_id = any(${goldenIds}::text[])`)
    .map((g): [string, GoldenSide] => [g.golden_id, { attrs: g.attrs, lineage: unpackLineage(g.lineage) }]));
  const types = attributeTypes(master.settings);
  const same = nicknameEquivalence(loadNicknames(), new Set(compared.filter((a) => types[a] === 'name')));
  for (const c of customers) {
    const g = c.item.goldenId === null ? undefined : golden.get(c.item.goldenId);
    if (g) c.item.conflicts = attributeConflicts(c.item.attrs, c.updatedAt, g, compared, same);
  }

  const coverage = attributeCoverage(masterAttributes, new Set(Object.keys(config.source.fields)),
    acquired.filter((a) => a.item.status !== 'not_customer' && a.item.status !== 'quarantined').map((a) => ({ attrs: a.item.attrs, invalid: a.invalid })),
    await masterFillRates(sql, config.master));
  const counts = reconciliationCounts(acquired.map((a) => a.item));
  progress(0.8);

  const thresholds = { match: probabilityFromWeight(scored.matchWeight), review: probabilityFromWeight(scored.reviewWeight) };
  // One transaction, and only while this attempt still owns the import: an attempt whose job
  // stalled and was taken over must not overwrite what the attempt that took over decided.
  await transaction(sql, async (tx) => {
    const [row] = await tx<{ status: string }[]>`select status from reconciliations where id = ${id} for update`;
    if (row?.status !== 'running') throw new BadJobError(`import ${id} is ${row?.status ?? 'gone'}: this attempt is stale and stops`);
    await tx`delete from reconciliation_items where reconciliation_id = ${id}`;
    for (let start = 0; start < acquired.length; start += WRITE_BATCH) {
      await insertRows(tx, ITEMS, acquired.slice(start, start + WRITE_BATCH).map((a): Cell[] => {
        const i = a.item;
        return [id, i.itemNo, i.sourceId, i.rowNumber, i.status, i.goldenId, i.probability, toJson(i.candidates), i.duplicateOf, i.reason,
          toJson(i.attrs), toJson(i.conflicts), a.raw, a.hash, a.updatedAt];
      }));
    }
    await tx`
      update reconciliations set status = 'reconciled', master_run_id = ${master.runId}, master_imports = ${importsIn(master.settings)}::text[],
        counts = ${toJson(counts)}::jsonb, coverage = ${toJson(coverage)}::jsonb, thresholds = ${toJson(thresholds)}::jsonb,
        reconciled_at = clock_timestamp(), error = null
      where id = ${id}`;
  });
  progress(0.9);
  return { counts, masterRunId: master.runId, candidatePairs: scored.candidatePairs, masterRecordsCompared: m, pulled: totals.pulled };
}

function blankItem(sourceId: string | null, rowNumber: number, status: ReconciliationItem['status'], reason: string | null, attrs: Attributes): ReconciliationItem {
  return { itemNo: 0, sourceId, rowNumber, status, goldenId: null, probability: null, candidates: [], duplicateOf: null, reason, attrs, conflicts: [] };
}
