import { BadJobError } from '../src/errors.js';
import { scoreRunPart } from '../src/pipeline/score-pairs.js';
import type { StageHandler } from '../src/queue/stage-processor.js';

export const scorePart: StageHandler = (ctx, { runId, part, parts }, progress) => {
  if (part === undefined || parts === undefined) throw new BadJobError(`score part job for run ${runId} names no part`);
  return scoreRunPart(ctx, runId, part, parts, progress);
};
