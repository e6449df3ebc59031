import type { FlowJob, JobsOptions } from 'bullmq';
import type { Settings } from '../config/settings-schema.js';
import { STAGES, type StageName, type StagePayload } from '../pipeline/stages.js';

/** Queue of scheduled run starts (the nightly job scheduler adds to it). */
export const RUNS_QUEUE = 'runs';

export function stageQueue(stage: StageName): string {
  return stage;
}

/** Deterministic job ids, so adding a run's flow twice cannot create a second set of jobs. */
export function stageJobId(runId: string, stage: StageName, source?: string): string {
  return source ? `${runId}.${stage}.${source}` : `${runId}.${stage}`;
}

/**
 * A run as one BullMQ flow: each stage is the parent of the stage before it (pulls, one
 * per source, are the leaves), so a stage starts only when everything under it completed.
 * Every job retries with exponential backoff; a child that fails for good fails its parent
 * and so the whole chain up to the root, which is how the run shows as failed.
 */
export function runFlow(runId: string, settings: Settings): FlowJob {
  const opts = (stage: StageName, source?: string): JobsOptions => ({
    jobId: stageJobId(runId, stage, source),
    attempts: settings.run.attempts,
    backoff: { type: 'exponential', delay: settings.run.backoffMs },
    failParentOnFailure: true,
    removeOnComplete: { age: 7 * 24 * 3600, count: 5000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  });
  const job = (stage: StageName, children?: FlowJob[], source?: string): FlowJob => {
    const data: StagePayload = source ? { runId, stage, source } : { runId, stage };
    return { name: source ? `${stage}:${source}` : stage, queueName: stageQueue(stage), data, opts: opts(stage, source), children };
  };
  let node: FlowJob[] = settings.sources.map((s) => job('pull', undefined, s.name));
  for (const stage of STAGES.slice(1)) node = [job(stage, node)];
  return node[0]!;
}
