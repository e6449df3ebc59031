import { scoreRunPairs } from '../src/pipeline/score-pairs.js';
import type { StageHandler } from '../src/queue/stage-processor.js';

export const score: StageHandler = (ctx, { runId }, progress) => scoreRunPairs(ctx, runId, progress);
