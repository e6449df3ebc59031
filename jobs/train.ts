import { trainRunModel } from '../src/pipeline/train-model.js';
import type { StageHandler } from '../src/queue/stage-processor.js';

export const train: StageHandler = (ctx, { runId }, progress) => trainRunModel(ctx, runId, progress);
