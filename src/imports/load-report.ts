import type { Sql } from '../db/client.js';
import { BadJobError } from '../errors.js';
import { reconciliationCounts } from '../reconcile/counts.js';
import type { AttributeCoverage, ReconciliationItem, ReconciliationReport } from '../reconcile/types.js';

export interface ImportState {
  id: string;
  name: string;
  deployment: string;
  source: string;
  status: string;
  commitRequested: boolean;
  progress: number;
  error: string | null;
  createdAt: string;
  committedAt: string | null;
}

interface StateRow {
  id: string; name: string; deployment: string; source: string; status: string; commit_requested: boolean;
  progress: number; error: string | null; created: string; committed: string | null;
}

const toState = (r: StateRow): ImportState => ({
  id: r.id, name: r.name, deployment: r.deployment, source: r.source, status: r.status, commitRequested: r.commit_requested,
  progress: r.progress, error: r.error, createdAt: r.created, committedAt: r.committed,
});

export async function importState(sql: Sql, id: string): Promise<ImportState | null> {
  const [r] = await sql<StateRow[]>`
    select id, name, deployment, source, status, commit_requested, progress, error, created_at::text as created, committed_at::text as committed
    from reconciliations where id = ${id}`;
  return r ? toState(r) : null;
}

export async function listImports(sql: Sql, limit = 50): Promise<ImportState[]> {
  const rows = await sql<StateRow[]>`
    select id, name, deployment, source, status, commit_requested, progress, error, created_at::text as created, committed_at::text as committed
    from reconciliations order by created_at desc limit ${limit}`;
  return rows.map(toState);
}

/** A reconciliation as the reports show it, read back from Postgres. */
export async function loadReconciliationReport(sql: Sql, id: string): Promise<ReconciliationReport> {
  const [r] = await sql<{ name: string; deployment: string; source: string; status: string; created: string; thresholds: { match: number; review: number } | null; coverage: AttributeCoverage[] }[]>`
    select name, deployment, source, status, created_at::text as created, thresholds, coverage from reconciliations where id = ${id}`;
  if (!r) throw new BadJobError(`import ${id} does not exist`);
  if (!['reconciled', 'committed', 'rolled_back'].includes(r.status)) throw new BadJobError(`import ${id} is ${r.status}: it has no reconciliation to report yet`);
  const items = (await sql<Array<{
    item_no: number; source_id: string | null; row_number: number; status: ReconciliationItem['status']; golden_id: string | null;
    probability: number | null; candidates: ReconciliationItem['candidates']; duplicate_of: string | null; reason: string | null;
    attrs: ReconciliationItem['attrs']; conflicts: ReconciliationItem['conflicts'];
  }>>`
    select item_no, source_id, row_number, status, golden_id, probability, candidates, duplicate_of, reason, attrs, conflicts
    from reconciliation_items where reconciliation_id = ${id} order by item_no`).map((i): ReconciliationItem => ({
    itemNo: i.item_no, sourceId: i.source_id, rowNumber: i.row_number, status: i.status, goldenId: i.golden_id, probability: i.probability,
    candidates: i.candidates, duplicateOf: i.duplicate_of, reason: i.reason, attrs: i.attrs, conflicts: i.conflicts,
  }));
  return {
    id, name: r.name, deployment: r.deployment, source: r.source, state: r.status as ReconciliationReport['state'], createdAt: r.created,
    thresholds: r.thresholds ?? { match: 0, review: 0 }, counts: reconciliationCounts(items), coverage: r.coverage, items,
  };
}
