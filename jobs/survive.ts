import { surviveRunClusters } from '../src/pipeline/survive-clusters.js';
import type { StageHandler } from '../src/queue/stage-processor.js';

export const survive: StageHandler = (ctx, { runId }, progress) => surviveRunClusters(ctx, runId, progress);
