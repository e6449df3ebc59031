import { Piscina } from 'piscina';
import type { Shard } from '../src/block/plan-blocks.js';
import { patternHistogram, sampleLevelCounts, scoreShard, type ScoreWeights } from '../src/score/pair-scan.js';
import { packHistogram, packScored } from '../src/score/packing.js';
import type { ScoringData } from '../src/score/scoring-data.js';

export type ScoreTask =
  | { kind: 'histogram'; data: ScoringData; shard: Shard }
  | { kind: 'score'; data: ScoringData; shard: Shard; weights: ScoreWeights }
  | { kind: 'sample'; data: ScoringData; samples: number; seed: number; order: Int32Array };

/** Piscina entry: one shard's work per call; results go back as one transferred buffer. */
export default function run(task: ScoreTask): unknown {
  switch (task.kind) {
    case 'histogram':
      return Piscina.move(packHistogram(patternHistogram(task.data, task.shard)));
    case 'score':
      return Piscina.move(packScored(scoreShard(task.data, task.shard, task.weights)));
    case 'sample':
      return sampleLevelCounts(task.data, task.samples, task.seed, task.order);
  }
}
