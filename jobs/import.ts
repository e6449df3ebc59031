import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import { GoldrunError, errorMessage } from '../src/errors.js';
import type { PipelineContext } from '../src/pipeline/context.js';
import { throttledProgress } from '../src/queue/throttled-progress.js';
import { markImportFailed, markImportProgress, processImport, type ImportPayload } from '../src/imports/imports.js';

/** Processor of the import queue: reconcile an acquired source, commit it when asked. */
export function importProcessor(ctx: PipelineContext): Processor {
  return async (job: Job) => {
    const id = (job.data as Partial<ImportPayload>)?.reconciliationId;
    if (typeof id !== 'string') throw new UnrecoverableError(`job ${job.id} names no reconciliationId`);
    const log = ctx.log.child({ importId: id, jobId: job.id, attempt: job.attemptsMade + 1 });
    const progress = throttledProgress((fraction) => {
      void job.updateProgress(Math.round(fraction * 100)).catch(() => {});
      void markImportProgress(ctx.database, id, fraction).catch(() => {});
    });
    log.info('import started');
    try {
      const metrics = await processImport(ctx, id, progress);
      log.info({ counts: metrics.reconcile?.counts.byStatus, commit: metrics.commit }, 'import done');
      return metrics;
    } catch (err) {
      const retryable = !(err instanceof GoldrunError) || err.retryable;
      const final = !retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      log.error({ err, final }, final ? 'import failed' : 'import failed, will retry');
      if (final) await markImportFailed(ctx.database, id, errorMessage(err)).catch((e) => log.error({ err: e }, 'cannot record the failure'));
      if (!retryable) throw new UnrecoverableError(errorMessage(err));
      throw err;
    }
  };
}
