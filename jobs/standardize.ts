import { standardizeRecords } from '../src/pipeline/standardize-records.js';
import type { StageHandler } from '../src/queue/stage-processor.js';

export const standardize: StageHandler = (ctx, { runId }, progress) => standardizeRecords(ctx, runId, progress);
