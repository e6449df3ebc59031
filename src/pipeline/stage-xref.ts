import type { Sql } from '../db/client.js';
import { transaction } from './transaction.js';

/**
 * Stages the run's cross-reference rows in run_xref: every clustered record with its source,
 * source id and the id survive minted for its cluster. Returns how many.
 *
 * The commit starts this on a connection of its own, outside its transaction, while the
 * transaction writes the golden records and events: the join reads the whole of
 * source_records, and inside the transaction, on the one core it uses, it made the
 * cross-reference insert of a first load 3.9 s at a million records; from this narrow table
 * the insert takes 1.0-1.7 s. It reads only what earlier stages committed and the transaction
 * does not change; a record's source and source id never change under its id.
 *
 * Staged in the order of the cross-reference's key (deployment, source, source id; one
 * deployment a run): a first load inserts them as they lie, and the key, built after the
 * insert (deferIndexes), is then built from sorted rows. In cluster order that build took
 * 1.4-1.8 s of the transaction at a million rows, sorted 0.64-0.75 s; the sort here costs the
 * staging about 1.3 s, while the transaction is still writing the golden records and events.
 */
export function stageXref(sql: Sql, runId: string): Promise<number> {
  // Under the run's lock: a commit attempt given up on (its worker killed) may still be
  // staging when the retry's begins, and the two must not interleave their delete and insert.
  return transaction(sql, async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`goldrun-xref:${runId}`}))`;
    await tx`delete from run_xref where run_id = ${runId}`;
    return (await tx`
      insert into run_xref (run_id, cluster_key, source, source_id, source_record_id, minted_id)
      select c.run_id, c.cluster_key, r.source, r.source_id, r.id, g.minted_id
      from run_clusters c
      join source_records r on r.id = c.record_id
      join run_golden g on g.run_id = c.run_id and g.cluster_key = c.cluster_key
      where c.run_id = ${runId}
      order by r.source, r.source_id`).count;
  });
}

/**
 * `stageXref` begun now, its failure kept for whoever awaits it: a commit that stops early
 * (a run already completed, imports changed) must not leave a rejection unhandled.
 */
export function stagingXref(sql: Sql, runId: string): () => Promise<number> {
  const staged = stageXref(sql, runId).then((n) => ({ n }), (err: unknown) => ({ err }));
  return async () => {
    const result = await staged;
    if ('err' in result) throw result.err;
    return result.n;
  };
}
