import type { StageName } from '../src/pipeline/stages.js';
import type { StageHandler } from '../src/queue/stage-processor.js';
import { block } from './block.js';
import { cluster } from './cluster.js';
import { commit } from './commit.js';
import { pull } from './pull.js';
import { score } from './score.js';
import { standardize } from './standardize.js';
import { survive } from './survive.js';
import { train } from './train.js';

/** The processor of each stage queue. */
export const stageHandlers: Record<StageName, StageHandler> = { pull, standardize, block, train, score, cluster, survive, commit };
