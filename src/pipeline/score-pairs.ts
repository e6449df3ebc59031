import type { BulkTable } from '../db/bulk-write.js';
import { TableWriter } from '../db/table-writer.js';
import { BadJobError } from '../errors.js';
import { scoreCandidates } from '../score/engine.js';
import { probabilityFromWeight, type ModelParams } from '../score/fellegi-sunter.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { runMatchPlan } from './match-plan-cache.js';
import { changedSince, incrementalScope } from './incremental.js';
import { runSettings } from './runs.js';
import { transaction } from './transaction.js';
import { blockingSummary, type BlockingSummary } from './blocking-summary.js';

export interface ScoreMetrics extends Record<string, unknown>, BlockingSummary {
  records: number;
  candidatePairs: number;
  matchedPairs: number;
  reviewPairs: number;
  oversizedBlocks: number;
  shards: number;
  threads: number;
  /** Pairs between unchanged records an incremental run kept from its base instead of scoring them again. */
  carriedPairs?: number;
}

const WRITE_BATCH = 20_000;

const MATCH_PAIRS: BulkTable = {
  table: 'match_pairs',
  columns: [['run_id', 'text'], ['left_id', 'bigint'], ['right_id', 'bigint'], ['weight', 'real'], ['probability', 'float8'], ['band', 'text'], ['part', 'smallint']],
};

/** The shards a part scores: every `parts`-th, starting at `part`, of a plan's shards (largest first). */
export function shardsOfPart<T>(shards: ReadonlyArray<T>, part: number, parts: number): T[] {
  return shards.filter((_, k) => k % parts === part);
}

/**
 * Scores one part of a run's candidate pairs with the run's model across this process's
 * thread pool and stores the pairs at or above the review threshold. A retried part
 * replaces exactly its own pairs.
 */
export async function scoreRunPart(ctx: PipelineContext, runId: string, part: number, parts: number, progress: ProgressReporter): Promise<ScoreMetrics> {
  // Part 0 also carries the base's pairs over, on another connection while it loads and
  // scores: Postgres copies while this process waits on its queries or its threads. The
  // carried pairs have no changed record and the scored ones have one, so they never meet.
  const [carried, scored] = await Promise.allSettled([
    part === 0 ? carryOverPairs(ctx, runId) : Promise.resolve(undefined),
    scorePart(ctx, runId, part, parts, progress),
  ]);
  if (scored.status === 'rejected') throw scored.reason;
  if (carried.status === 'rejected') throw carried.reason;
  return carried.value === undefined ? scored.value : { ...scored.value, carriedPairs: carried.value };
}

async function scorePart(ctx: PipelineContext, runId: string, part: number, parts: number, progress: ProgressReporter): Promise<ScoreMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const { sql } = ctx.database;
  const [model] = await sql<{ params: ModelParams }[]>`select params from run_models where run_id = ${runId}`;
  if (!model) throw new BadJobError(`run ${runId} has no trained model: the train stage has not completed`);
  const { ids, plan } = await runMatchPlan(ctx.database, runId, settings);
  progress(0.2);
  const partPlan = { ...plan, blocks: { ...plan.blocks, shards: shardsOfPart(plan.blocks.shards, part, parts) } };
  const scored = await scoreCandidates(ctx.runner, partPlan, model.params, settings.thresholds);
  progress(0.7);
  await sql`delete from match_pairs where run_id = ${runId} and part = ${part}`;
  let matched = 0;
  for (let start = 0; start < scored.left.length; start += WRITE_BATCH) {
    const end = Math.min(scored.left.length, start + WRITE_BATCH);
    // A run id, two ids, a weight, a probability of up to 24 characters, a band and a part.
    const rows = new TableWriter(ctx.database, MATCH_PAIRS, (end - start) * (runId.length + 90));
    for (let e = start; e < end; e++) {
      const w = scored.weight[e]!;
      const isMatch = w >= scored.matchWeight;
      if (isMatch) matched++;
      rows.cell(runId);
      rows.cell(ids[scored.left[e]!]!);
      rows.cell(ids[scored.right[e]!]!);
      rows.cell(w);
      rows.cell(probabilityFromWeight(w));
      rows.cell(isMatch ? 'match' : 'review');
      rows.cell(part);
      rows.endRow();
    }
    await rows.write();
    progress(0.7 + 0.3 * (end / scored.left.length));
  }
  return {
    records: ids.length,
    candidatePairs: scored.candidatePairs,
    matchedPairs: matched,
    reviewPairs: scored.left.length - matched,
    oversizedBlocks: plan.blocks.oversized.length,
    ...blockingSummary(plan.blocks, settings),
    shards: partPlan.blocks.shards.length,
    threads: ctx.runner.threads,
  };
}

/** The score stage's figures: its parts' added up. */
export function sumScoreParts(parts: ReadonlyArray<ScoreMetrics>): ScoreMetrics {
  const sum = (key: 'candidatePairs' | 'matchedPairs' | 'reviewPairs' | 'shards') => parts.reduce((n, p) => n + (p[key] ?? 0), 0);
  return {
    records: parts[0]?.records ?? 0,
    candidatePairs: sum('candidatePairs'),
    matchedPairs: sum('matchedPairs'),
    reviewPairs: sum('reviewPairs'),
    oversizedBlocks: parts[0]?.oversizedBlocks ?? 0,
    // Every part plans the same blocks.
    rules: parts[0]?.rules ?? [],
    rawPairs: parts[0]?.rawPairs ?? 0,
    oversized: parts[0]?.oversized ?? [],
    shards: sum('shards'),
    threads: Math.max(0, ...parts.map((p) => p.threads ?? 0)),
    ...(parts.some((p) => p.carriedPairs !== undefined) ? { carriedPairs: parts.reduce((n, p) => n + (p.carriedPairs ?? 0), 0) } : {}),
  };
}

/**
 * An incremental run keeps its base's stored pairs between records that have not changed
 * since (they would score the same with the same model), beside the pairs its parts scored
 * in the changed records' blocks, which win where both have a pair. Kept as part -1, so a
 * retry replaces exactly them.
 */
async function carryOverPairs(ctx: PipelineContext, runId: string): Promise<number | undefined> {
  const { sql } = ctx.database;
  const scope = await incrementalScope(sql, runId);
  if (!scope) return undefined;
  const settings = await runSettings(ctx.database, runId);
  return transaction(sql, async (tx) => {
    await tx`delete from match_pairs where run_id = ${runId} and part = ${CARRIED_PART}`;
    // A record not changed since the base is live exactly as it was then (a deletion or a
    // reclassification is a change), so the changed ids, a few in a million, are all to look up.
    const carried = await tx`
      with changed as materialized (
        select r.id from source_records r where r.deployment = ${settings.name} and ${changedSince(sql, scope)})
      insert into match_pairs (run_id, left_id, right_id, weight, probability, band, part)
      select ${runId}, p.left_id, p.right_id, p.weight, p.probability, p.band, ${CARRIED_PART}
      from match_pairs p
      where p.run_id = ${scope.baseRunId}
        and p.left_id not in (select id from changed) and p.right_id not in (select id from changed)
      on conflict (run_id, left_id, right_id) do nothing`;
    return carried.count;
  });
}

const CARRIED_PART = -1;
