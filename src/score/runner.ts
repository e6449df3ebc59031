import type { Shard } from '../block/plan-blocks.js';
import { patternHistogram, sampleLevelCounts, scoreShard, type PatternHistogram, type ScoredPairs, type ScoreWeights } from './pair-scan.js';
import type { ScoringData } from './scoring-data.js';
import { runSurvivePageTask, type SurvivePageResult, type SurvivePageTask } from '../pipeline/survive-page-task.js';

/**
 * Where shard work runs. The engine only sees this interface: the CLI and jobs pass a
 * Piscina pool, unit tests the inline runner that does the same work on this thread.
 */
export interface ShardRunner {
  readonly threads: number;
  histogram(data: ScoringData, shard: Shard): Promise<PatternHistogram>;
  score(data: ScoringData, shard: Shard, weights: ScoreWeights): Promise<ScoredPairs>;
  /** u's random pairs, drawn as positions in `order` (samplingOrder). */
  sampleLevels(data: ScoringData, samples: number, seed: number, order: Int32Array): Promise<Float64Array[]>;
  /** Not scoring, but the same threads: the survive stage's pages of clusters. */
  survivePage(task: SurvivePageTask): Promise<SurvivePageResult>;
}

export const inlineRunner: ShardRunner = {
  threads: 1,
  histogram: async (data, shard) => patternHistogram(data, shard),
  score: async (data, shard, weights) => scoreShard(data, shard, weights),
  sampleLevels: async (data, samples, seed, order) => sampleLevelCounts(data, samples, seed, order),
  survivePage: async (task) => runSurvivePageTask(task),
};
