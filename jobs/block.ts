import { blockRecords } from '../src/pipeline/block-records.js';
import type { StageHandler } from '../src/queue/stage-processor.js';

export const block: StageHandler = (ctx, { runId }, progress) => blockRecords(ctx, runId, progress);
