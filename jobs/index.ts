import { SCORE_PART_QUEUE, type WorkQueue } from '../src/pipeline/stages.js';
import type { StageHandler } from '../src/queue/stage-processor.js';
import { block } from './block.js';
import { cluster } from './cluster.js';
import { commit } from './commit.js';
import { pull } from './pull.js';
import { score } from './score.js';
import { scorePart } from './score-part.js';
import { standardize } from './standardize.js';
import { survive } from './survive.js';
import { train } from './train.js';

/** The processor of each stage queue, and of the score-part queue the score stage fans out to. */
export const stageHandlers: Record<WorkQueue, StageHandler> = {
  pull, standardize, block, train, score, cluster, survive, commit, [SCORE_PART_QUEUE]: scorePart,
};
