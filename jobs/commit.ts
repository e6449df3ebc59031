import { commitRun } from '../src/pipeline/commit-run.js';
import type { StageHandler } from '../src/queue/stage-processor.js';

export const commit: StageHandler = (ctx, { runId }, progress, attempt) => commitRun(ctx, runId, progress, attempt);
