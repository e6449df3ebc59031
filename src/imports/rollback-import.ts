import type { Database } from '../db/client.js';
import { BadJobError } from '../errors.js';
import { transaction } from '../pipeline/transaction.js';
import { refuseWhileRunning } from './commit-import.js';

export interface RollbackMetrics {
  sourceRecords: number;
  goldenRestored: number;
  goldenRemoved: number;
}

/**
 * Takes a committed import back out of the master in one transaction: its source records,
 * cross-reference rows, minted golden records, versions and events go, and the golden
 * records it changed get back their saved rows, every column as it was. Refused once
 * anything else committed on the deployment after it: undoing the import then would undo
 * or contradict that too.
 */
export async function rollbackImport(database: Database, id: string): Promise<RollbackMetrics> {
  const { sql } = database;
  return transaction(sql, async (tx) => {
    const [rec] = await tx<{ status: string; deployment: string; source: string; committed_at: string | null }[]>`
      select status, deployment, source, committed_at::text from reconciliations where id = ${id} for update`;
    if (!rec) throw new BadJobError(`import ${id} does not exist: \`goldrun import list\` shows the imports`);
    if (rec.status !== 'committed') throw new BadJobError(`import ${id} is ${rec.status.replace('_', ' ')}: only a committed import can be rolled back`);
    const deployment = rec.deployment;
    await tx`select pg_advisory_xact_lock(hashtext(${`goldrun-commit:${deployment}`}))`;
    await refuseWhileRunning(tx, deployment, `roll back import ${id}`);
    const [run] = await tx<{ id: string }[]>`
      select id from runs where deployment = ${deployment} and status = 'completed' and finished_at > ${rec.committed_at}::timestamptz
      order by finished_at limit 1`;
    const [other] = await tx<{ id: string }[]>`
      select id from reconciliations where deployment = ${deployment} and id <> ${id} and status = 'committed' and committed_at > ${rec.committed_at}::timestamptz
      limit 1`;
    if (run || other) {
      throw new BadJobError(`${run ? `run ${run.id}` : `import ${other!.id}`} committed on ${deployment} after import ${id}: rolling it back now would also undo that, so it is refused`);
    }
    // The versions the import wrote are current ones (no later commit replaced them, or this
    // is refused): golden_records holds them, deleted or restored below, not golden_versions.
    await tx`delete from golden_events where run_id = ${id}`;
    const removed = await tx`delete from golden_records where created_run_id = ${id}`;
    const restored = await tx`
      update golden_records g set
        entity_type = b.entity_type, status = b.status, attrs = b.attrs, lineage = b.lineage, content_hash = b.content_hash,
        member_count = b.member_count, merged_into = b.merged_into, customer_status = b.customer_status, version = b.version,
        created_run_id = b.created_run_id, updated_run_id = b.updated_run_id, created_at = b.created_at, updated_at = b.updated_at
      from reconciliation_backups k, jsonb_populate_record(null::golden_records, k.row) b
      where k.reconciliation_id = ${id} and g.golden_id = k.golden_id`;
    // The versions the import replaced are current again, in golden_records.
    await tx`
      delete from golden_versions v
      using reconciliation_backups k
      where k.reconciliation_id = ${id} and v.golden_id = k.golden_id and v.version = (k.row->>'version')::int`;
    await tx`delete from xref x using source_records r where r.id = x.source_record_id and r.first_run_id = ${id} and r.deployment = ${deployment}`;
    const records = await tx`delete from source_records where deployment = ${deployment} and source = ${rec.source} and first_run_id = ${id}`;
    await tx`delete from sources where deployment = ${deployment} and name = ${rec.source} and kind = 'imported'`;
    // The source did not exist before the import (its commit refuses a name in use): every decision naming it came after.
    await tx`delete from match_decisions where deployment = ${deployment} and (left_source = ${rec.source} or right_source = ${rec.source})`;
    await tx`delete from reconciliation_backups where reconciliation_id = ${id}`;
    await tx`update reconciliations set status = 'rolled_back', rolled_back_at = clock_timestamp() where id = ${id}`;
    return { sourceRecords: records.count, goldenRestored: restored.count, goldenRemoved: removed.count };
  });
}
