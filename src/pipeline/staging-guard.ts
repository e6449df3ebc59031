import type { TransactionSql } from 'postgres';
import type { Sql } from '../db/client.js';
import { BadJobError } from '../errors.js';

/**
 * The staging tables (run_clusters, run_golden, run_touched_records, run_xref) are unlogged: they are
 * rebuilt by rerunning a run, so they skip the write-ahead log, which a million wide rows
 * filled faster than checkpoints could follow. The price is that a database crash empties
 * them. A stage reading what an earlier stage staged checks the count that stage reported,
 * so a run whose staging was lost fails saying so instead of committing nothing. `why`
 * replaces that explanation where a count can differ for another reason.
 */
export async function assertStaged(
  sql: Sql | TransactionSql,
  runId: string,
  stage: string,
  metric: string,
  found: number,
  table: string,
  why = UNLOGGED,
): Promise<void> {
  checkStaged(runId, stage, table, await stagedCount(sql, runId, stage, metric), found, why);
}

/** The count a completed stage reported staging (its metric), or null when it reported none. */
export async function stagedCount(sql: Sql | TransactionSql, runId: string, stage: string, metric: string): Promise<number | null> {
  const [row] = await sql<{ n: number | null }[]>`
    select (metrics->>${metric})::bigint as n from run_stages where run_id = ${runId} and stage = ${stage} and status = 'completed'`;
  return row?.n === null || row?.n === undefined ? null : Number(row.n);
}

/** assertStaged's check, for a caller that read the expected count (stagedCount) before counting what it found. */
export function checkStaged(runId: string, stage: string, table: string, expected: number | null, found: number, why = UNLOGGED): void {
  if (expected === null || expected === found) return;
  throw new BadJobError(
    `run ${runId}: the ${stage} stage staged ${expected} rows in ${table}, but ${found} are there (${why}): start the run again`,
  );
}

const UNLOGGED = 'staging tables are unlogged and a database restart empties them';
