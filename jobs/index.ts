import { SCORE_PART_QUEUE } from '../src/pipeline/stages.js';
import type { WorkerHandlers } from '../src/queue/start-workers.js';
import { importProcessor } from './import.js';
import { block } from './block.js';
import { cluster } from './cluster.js';
import { commit } from './commit.js';
import { pull } from './pull.js';
import { score } from './score.js';
import { scorePart } from './score-part.js';
import { standardize } from './standardize.js';
import { survive } from './survive.js';
import { train } from './train.js';

/** The processor of each stage queue, of the score-part queue the score stage fans out to, and of imports. */
export const stageHandlers: WorkerHandlers = {
  pull, standardize, block, train, score, cluster, survive, commit, [SCORE_PART_QUEUE]: scorePart, import: importProcessor,
};
