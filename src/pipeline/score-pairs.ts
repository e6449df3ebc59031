import { BadJobError } from '../errors.js';
import { buildMatchPlan, scoreCandidates } from '../score/engine.js';
import { probabilityFromWeight, type ModelParams } from '../score/fellegi-sunter.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { loadMatchRecords } from './load-records.js';
import { runSettings } from './runs.js';

export interface ScoreMetrics extends Record<string, unknown> {
  records: number;
  candidatePairs: number;
  matchedPairs: number;
  reviewPairs: number;
  oversizedBlocks: number;
  shards: number;
  threads: number;
}

const WRITE_BATCH = 20_000;

/**
 * Scores every candidate pair with the run's model across the thread pool and stores the
 * pairs at or above the review threshold. A retry replaces the run's pairs.
 */
export async function scoreRunPairs(ctx: PipelineContext, runId: string, progress: ProgressReporter): Promise<ScoreMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const { sql } = ctx.database;
  const [model] = await sql<{ params: ModelParams }[]>`select params from run_models where run_id = ${runId}`;
  if (!model) throw new BadJobError(`run ${runId} has no trained model: the train stage has not completed`);
  const loaded = await loadMatchRecords(sql, settings);
  progress(0.2);
  const plan = buildMatchPlan(loaded.records, settings, loaded.keys);
  const scored = await scoreCandidates(ctx.runner, plan, model.params, settings.thresholds);
  progress(0.7);
  await sql`delete from match_pairs where run_id = ${runId}`;
  let matched = 0;
  for (let start = 0; start < scored.left.length; start += WRITE_BATCH) {
    const end = Math.min(scored.left.length, start + WRITE_BATCH);
    const left: number[] = [];
    const right: number[] = [];
    const weight: number[] = [];
    const probability: number[] = [];
    const band: string[] = [];
    for (let e = start; e < end; e++) {
      left.push(loaded.ids[scored.left[e]!]!);
      right.push(loaded.ids[scored.right[e]!]!);
      const w = scored.weight[e]!;
      weight.push(w);
      probability.push(probabilityFromWeight(w));
      const isMatch = w >= scored.matchWeight;
      if (isMatch) matched++;
      band.push(isMatch ? 'match' : 'review');
    }
    await sql`
      insert into match_pairs (run_id, left_id, right_id, weight, probability, band)
      select ${runId}, * from unnest(${left}::bigint[], ${right}::bigint[], ${weight}::real[], ${probability}::float8[], ${band}::text[])`;
    progress(0.7 + 0.3 * (end / scored.left.length));
  }
  return {
    records: loaded.records.length,
    candidatePairs: scored.candidatePairs,
    matchedPairs: matched,
    reviewPairs: scored.left.length - matched,
    oversizedBlocks: plan.blocks.oversized.length,
    shards: plan.blocks.shards.length,
    threads: ctx.runner.threads,
  };
}
