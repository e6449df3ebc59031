import { sumScoreParts, type ScoreMetrics } from '../src/pipeline/score-pairs.js';
import { runSettings } from '../src/pipeline/runs.js';
import { SCORE_PART_QUEUE, stageKey } from '../src/pipeline/stages.js';
import type { StageHandler } from '../src/queue/stage-processor.js';

/**
 * The score stage fans out to `run.scoreParts` jobs on the score-part queue, which any
 * worker may take, and completes with their figures once all of them have.
 */
export const score: StageHandler = async (ctx, { runId }, _progress, _attempt, control) => {
  const settings = await runSettings(ctx.database, runId);
  const parts = settings.run.scoreParts;
  await control.addChildren(SCORE_PART_QUEUE, Array.from({ length: parts }, (_, part) => ({
    name: stageKey('score', undefined, part),
    jobId: `${runId}.score.part${part}`,
    data: { runId, stage: 'score' as const, part, parts },
  })));
  await control.waitForChildren();
  const values = await control.job.getChildrenValues<ScoreMetrics>();
  return sumScoreParts(Object.values(values));
};
