import { pullSource } from '../src/pipeline/pull-source.js';
import type { StageHandler } from '../src/queue/stage-processor.js';

export const pull: StageHandler = (ctx, { runId, source }, progress, attempt) => pullSource(ctx, runId, source ?? '', progress, attempt);
