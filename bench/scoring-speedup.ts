import type { Database } from '../src/db/client.js';
import { loadMatchRecords } from '../src/pipeline/load-records.js';
import { runSettings } from '../src/pipeline/runs.js';
import { matchPlanOf, scoreCandidates } from '../src/score/engine.js';
import type { ModelParams } from '../src/score/fellegi-sunter.js';
import { createThreadPool } from '../src/score/thread-pool.js';

export interface ScoringSpeedup {
  shards: number;
  candidatePairs: number;
  /**
   * Scorings of the whole shard set per timed repetition, so each timing lasts three seconds
   * or more: at 100k records one scoring is half a second, and this VM's noise moved such
   * timings by a third.
   */
  passes: number;
  /** Median of the repetitions, per thread count. */
  msByThreads: Record<string, number>;
  speedup: number;
}

/**
 * Scores a finished run's shard set again with 1 and with 2 threads, same records, same
 * model, same shards, alternating the two so that neither gets a warmer machine. Times are
 * per repetition of `passes` scorings.
 */
export async function measureScoringSpeedup(database: Database, runId: string, repetitions = 5): Promise<ScoringSpeedup> {
  const settings = await runSettings(database, runId);
  const [model] = await database.sql<{ params: ModelParams }[]>`select params from run_models where run_id = ${runId}`;
  const loaded = await loadMatchRecords(database.sql, settings);
  const plan = matchPlanOf(loaded.columns, loaded.keys, settings);
  const pools = { 1: createThreadPool(1), 2: createThreadPool(2) };
  const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
  let candidatePairs = 0;
  let passes = 1;
  try {
    // Untimed passes: threads start and compile the hot path on both pools. A second
    // single-thread pass, warm, sizes the timed runs, since a shard set scored in 50 ms would
    // time thread hand-off: sized from the first, cold one, the repetitions at 100k records
    // lasted about a second, not three.
    await scoreCandidates(pools[2], plan, model!.params, settings.thresholds);
    await scoreCandidates(pools[1], plan, model!.params, settings.thresholds);
    const warm = performance.now();
    await scoreCandidates(pools[1], plan, model!.params, settings.thresholds);
    passes = Math.max(1, Math.ceil(3000 / Math.max(1, performance.now() - warm)));
    for (let r = 0; r < repetitions; r++) {
      for (const t of [1, 2] as const) {
        const started = performance.now();
        for (let p = 0; p < passes; p++) {
          const scored = await scoreCandidates(pools[t], plan, model!.params, settings.thresholds);
          candidatePairs = scored.candidatePairs;
        }
        times[t].push(performance.now() - started);
      }
    }
  } finally {
    await Promise.all([pools[1].destroy(), pools[2].destroy()]);
  }
  const one = median(times[1]);
  const two = median(times[2]);
  return { shards: plan.blocks.shards.length, candidatePairs, passes, msByThreads: { 1: Math.round(one), 2: Math.round(two) }, speedup: Math.round((one / two) * 100) / 100 };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
