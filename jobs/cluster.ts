import { clusterRunRecords } from '../src/pipeline/cluster-records.js';
import type { StageHandler } from '../src/queue/stage-processor.js';

export const cluster: StageHandler = (ctx, { runId }, progress) => clusterRunRecords(ctx, runId, progress);
