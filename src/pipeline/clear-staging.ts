import type { Sql } from '../db/client.js';
import { transaction } from './transaction.js';

/** The tables a run stages in: each row is its run's alone, removed once the run commits. */
const STAGING_TABLES = ['run_clusters', 'run_golden', 'run_touched_records', 'run_xref'] as const;

const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Removes what a run staged. When no other run has anything staged, the tables are
 * truncated: deleting a million-record run's rows kept Postgres busy for seconds after
 * the commit, and left them behind as dead rows for a vacuum to find.
 *
 * Truncating takes the tables whole. The lock is asked for without waiting: a run of
 * another deployment using its staging holds it back, and queued behind that run the
 * request would stall every other run's staging too. Whether another run has rows staged
 * is read under the lock, so none can arrive between the check and the truncate (a run
 * that failed and may yet be retried keeps its rows). Otherwise the run's rows are deleted.
 */
export async function clearStaging(sql: Sql, runId: string): Promise<'truncated' | 'deleted'> {
  const truncated = await transaction(sql, async (tx) => {
    await tx.unsafe(`lock table ${STAGING_TABLES.join(', ')} in access exclusive mode nowait`);
    // Each probe is one step down an index led by run_id, either side of this run's rows.
    const probes = STAGING_TABLES.map((t) => `exists (select 1 from ${t} where run_id < $1) or exists (select 1 from ${t} where run_id > $1)`);
    const [row] = await tx.unsafe<Array<{ others: boolean }>>(`select ${probes.join(' or ')} as others`, [runId]);
    if (row?.others !== false) return false;
    await tx.unsafe(`truncate ${STAGING_TABLES.join(', ')}`);
    return true;
  }).catch((err: unknown) => {
    if ((err as { code?: unknown }).code === LOCK_NOT_AVAILABLE) return false;
    throw err;
  });
  if (truncated) return 'truncated';
  await Promise.all(STAGING_TABLES.map((t) => sql`delete from ${sql(t)} where run_id = ${runId}`));
  return 'deleted';
}
