import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import { GoldrunError, errorMessage } from '../errors.js';
import type { PipelineContext, ProgressReporter } from '../pipeline/context.js';
import { markStageCompleted, markStageFailed, markStageProgress, markStageRunning } from '../pipeline/stage-tracker.js';
import { isStageName, stageKey, type StagePayload } from '../pipeline/stages.js';

/** A stage's work: thin handlers in jobs/ call the pipeline with the payload's ids. */
export type StageHandler = (ctx: PipelineContext, payload: StagePayload, progress: ProgressReporter, attempt: number) => Promise<Record<string, unknown>>;

const PROGRESS_INTERVAL_MS = 500;

/**
 * Wraps a stage handler as a BullMQ processor: checks the payload, keeps run_stages up to
 * date (attempt, progress, timing, metrics, error), and turns errors that a retry cannot
 * fix into UnrecoverableErrors so BullMQ does not retry them.
 */
export function stageProcessor(ctx: PipelineContext, handler: StageHandler): Processor {
  return async (job: Job) => {
    const payload = job.data as Partial<StagePayload>;
    if (typeof payload?.runId !== 'string' || !isStageName(payload.stage)) {
      throw new UnrecoverableError(`job ${job.id} has no valid runId and stage in its data`);
    }
    const { runId, stage } = payload as StagePayload;
    const key = stageKey(stage, payload.source);
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const log = ctx.log.child({ runId, stage: key, jobId: job.id, attempt });
    const started = performance.now();
    await markStageRunning(ctx.database, runId, key, attempt, job.id);
    log.info('stage started');
    let lastReport = 0;
    const progress: ProgressReporter = (fraction) => {
      const now = Date.now();
      if (now - lastReport < PROGRESS_INTERVAL_MS && fraction < 1) return;
      lastReport = now;
      const value = Math.max(0, Math.min(1, fraction));
      void job.updateProgress(Math.round(value * 100)).catch(() => {});
      void markStageProgress(ctx.database, runId, key, value).catch(() => {});
    };
    try {
      ctx.failpoints.check(stage, attempt);
      const metrics = await handler(ctx, payload as StagePayload, progress, attempt);
      const durationMs = Math.round(performance.now() - started);
      await markStageCompleted(ctx.database, runId, key, durationMs, metrics);
      log.info({ durationMs, metrics }, 'stage completed');
      return metrics;
    } catch (err) {
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
