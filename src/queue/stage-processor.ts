import { UnrecoverableError, WaitingChildrenError, type Job, type Processor, type Queue } from 'bullmq';
import { GoldrunError, errorMessage } from '../errors.js';
import type { PipelineContext, ProgressReporter } from '../pipeline/context.js';
import { markStageCompleted, markStageFailed, markStageProgress, markStageRunning } from '../pipeline/stage-tracker.js';
import { unfinishedBefore } from './resume-run.js';
import { throttledProgress } from './throttled-progress.js';
import { isStageName, stageKey, type StagePayload } from '../pipeline/stages.js';

/** What a handler may do with its own job, beyond returning metrics: fan out to child jobs and wait for them. */
export interface StageControl {
  job: Job;
  token?: string;
  /** Adds jobs as children of this one (ids make a repeated call add nothing new). */
  addChildren(queue: string, children: ReadonlyArray<{ name: string; jobId: string; data: StagePayload }>): Promise<void>;
  /**
   * Parks this job until its children complete: throws WaitingChildrenError while any is
   * pending (BullMQ processes the job again afterwards), returns once none is.
   */
  waitForChildren(): Promise<void>;
}

/** A stage's work: thin handlers in jobs/ call the pipeline with the payload's ids. */
export type StageHandler = (ctx: PipelineContext, payload: StagePayload, progress: ProgressReporter, attempt: number, control: StageControl) => Promise<Record<string, unknown>>;

/**
 * Wraps a stage handler as a BullMQ processor: checks the payload, keeps run_stages up to
 * date (attempt, progress, timing, metrics, error), and turns errors that a retry cannot
 * fix into UnrecoverableErrors so BullMQ does not retry them.
 */
export function stageProcessor(ctx: PipelineContext, handler: StageHandler, queues?: (name: string) => Queue): Processor {
  return async (job: Job, token?: string) => {
    const payload = job.data as Partial<StagePayload>;
    if (typeof payload?.runId !== 'string' || !isStageName(payload.stage)) {
      throw new UnrecoverableError(`job ${job.id} has no valid runId and stage in its data`);
    }
    const { runId, stage } = payload as StagePayload;
    const key = stageKey(stage, payload.source, payload.part);
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const log = ctx.log.child({ runId, stage: key, jobId: job.id, attempt });
    if (stage !== 'pull') {
      // Only a retried parent meets unfinished stages below it: an operator retried it
      // before the failed stage under it. It resumes by itself once that one completes.
      const waiting = await unfinishedBefore(ctx.database, runId, key, { ownParts: false });
      if (waiting.length > 0) {
        // BullMQ parks the job when its retried child is still pending, and refuses when a child failed.
        if (token && (await job.moveToWaitingChildren(token).catch(() => false))) throw new WaitingChildrenError();
        throw new UnrecoverableError(`${key} cannot run before ${waiting.join(', ')}: retry the failed stage under it; ${key} then resumes by itself`);
      }
    }
    const started = performance.now();
    // A job coming back from waiting for its children carries on where it was, timing included.
    const resumed = (job.data as { waiting?: boolean }).waiting === true;
    await markStageRunning(ctx.database, runId, key, attempt, job.id, { resumed });
    log.info(resumed ? 'stage resumed' : 'stage started');
    const control: StageControl = {
      job,
      token,
      addChildren: async (queue, list) => {
        if (!queues) throw new Error(`stage ${key} cannot add child jobs in this process`);
        const q = queues(queue);
        for (const child of list) {
          await q.add(child.name, child.data, {
            jobId: child.jobId,
            parent: { id: job.id!, queue: job.queueQualifiedName },
            attempts: job.opts.attempts,
            backoff: job.opts.backoff,
            failParentOnFailure: true,
            removeOnComplete: { age: 7 * 24 * 3600, count: 5000 },
            removeOnFail: { age: 30 * 24 * 3600 },
          });
        }
      },
      waitForChildren: async () => {
        if (!(job.data as { waiting?: boolean }).waiting) await job.updateData({ ...job.data, waiting: true });
        if (await job.moveToWaitingChildren(token!)) {
          log.info('stage waits for its child jobs');
          throw new WaitingChildrenError();
        }
      },
    };
    const progress = throttledProgress((value) => {
      void job.updateProgress(Math.round(value * 100)).catch(() => {});
      void markStageProgress(ctx.database, runId, key, value).catch(() => {});
    });
    try {
      await ctx.failpoints.check(stage, attempt);
      const metrics = await handler(ctx, payload as StagePayload, progress, attempt, control);
      const durationMs = Math.round(performance.now() - started);
      await markStageCompleted(ctx.database, runId, key, resumed ? null : durationMs, metrics);
      log.info({ durationMs, metrics }, 'stage completed');
      return metrics;
    } catch (err) {
      if (err instanceof WaitingChildrenError) throw err;
      const retryable = !(err instanceof GoldrunError) || err.retryable;
      const final = !retryable || attempt >= maxAttempts;
      const message = errorMessage(err);
      await markStageFailed(ctx.database, runId, key, message, final).catch((e) => log.error({ err: e }, 'cannot record the failure'));
      log.error({ err, final }, final ? 'stage failed' : 'stage failed, will retry');
      if (!retryable) throw new UnrecoverableError(message);
      throw err;
    }
  };
}
