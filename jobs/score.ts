import { sumScoreParts, type ScoreMetrics } from '../src/pipeline/score-pairs.js';
import { runSettings } from '../src/pipeline/runs.js';
import { SCORE_PART_QUEUE, stageKey } from '../src/pipeline/stages.js';
import type { StageHandler } from '../src/queue/stage-processor.js';

const partJobId = (runId: string, part: number) => `${runId}.score.part${part}`;
/** Children values are keyed "[prefix:]queue:jobId"; the parts' job ids end so. */
const PART_JOB = /\.score\.part\d+$/;

/**
 * The score stage fans out to `run.scoreParts` jobs on the score-part queue, which any
 * worker may take, and completes with their figures once all of them have.
 */
export const score: StageHandler = async (ctx, { runId }, _progress, _attempt, control) => {
  const settings = await runSettings(ctx.database, runId);
  const parts = settings.run.scoreParts;
  await control.addChildren(SCORE_PART_QUEUE, Array.from({ length: parts }, (_, part) => ({
    name: stageKey('score', undefined, part),
    jobId: partJobId(runId, part),
    data: { runId, stage: 'score' as const, part, parts },
  })));
  await control.waitForChildren();
  // The train stage is a child of this job too; only the parts' figures add up.
  const values = await control.job.getChildrenValues<ScoreMetrics>();
  return sumScoreParts(Object.entries(values).filter(([key]) => PART_JOB.test(key)).map(([, v]) => v));
};
