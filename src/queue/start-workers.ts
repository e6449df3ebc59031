import type { Job, Processor, Queue, Worker } from 'bullmq';
import { IMPORT_QUEUE } from '../imports/imports.js';
import type { PipelineContext } from '../pipeline/context.js';
import { markStageFailed } from '../pipeline/stage-tracker.js';
import { PULLS_AT_ONCE, SCORE_PART_QUEUE, stageKey, WORK_QUEUES, type StageName, type StagePayload, type WorkQueue } from '../pipeline/stages.js';
import type { QueueBackend } from './queue-backend.js';
import { stageQueue } from './run-flow.js';
import { resumeParent } from './resume-run.js';
import { stageProcessor, type StageHandler } from './stage-processor.js';


/**
 * Score parts a worker takes at once: while one part's pairs are copied into Postgres (most
 * of a part's time at a million records), the other's shards keep the threads busy. They
 * share the process's match plan and thread pool.
 */
export const SCORE_PARTS_AT_ONCE = 2;

export interface WorkerOptions {
  /** Pull jobs of different sources run side by side, and score parts (SCORE_PARTS_AT_ONCE); the other stages one at a time per process. */
  pullConcurrency?: number;
  lockDurationMs?: number;
  /** Extra workers to run alongside, e.g. the scheduled-run starter. */
  extra?: (backend: QueueBackend) => Worker[];
}

export interface RunningWorkers {
  workers: Worker[];
  /** Stops taking jobs and waits for the jobs in hand to finish. */
  close(): Promise<void>;
}

/** One BullMQ worker per stage queue, all sharing this process's database and thread pool. */
/** Each stage queue's handler, and the processor of acquisition imports. */
export type WorkerHandlers = Record<WorkQueue, StageHandler> & { import?: (ctx: PipelineContext) => Processor };

export function startWorkers(backend: QueueBackend, ctx: PipelineContext, handlers: WorkerHandlers, options: WorkerOptions = {}): RunningWorkers {
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      queues.set(name, (q = backend.queue(name)));
      // Without a listener BullMQ prints connection errors (a Redis restart) raw to stderr.
      q.on('error', (err) => ctx.log.error({ err, queue: name }, 'queue error'));
    }
    return q;
  };
  const lockDuration = options.lockDurationMs ?? 60_000;
  const workerOptions = (concurrency: number) => ({
    concurrency,
    lockDuration,
    // Stalled jobs (their worker died) are looked for twice per lock period.
    stalledInterval: Math.max(1000, Math.round(lockDuration / 2)),
    autorun: true,
  });
  const workers = WORK_QUEUES.map((stage) => {
    const worker = backend.worker(stage === SCORE_PART_QUEUE ? stage : stageQueue(stage), stageProcessor(ctx, handlers[stage], queue),
      workerOptions(stage === 'pull' ? (options.pullConcurrency ?? PULLS_AT_ONCE) : stage === SCORE_PART_QUEUE ? SCORE_PARTS_AT_ONCE : 1));
    worker.on('failed', (job, err) => void onFailed(ctx, job, err));
    worker.on('completed', (job) => {
      resumeParent(ctx.database, queue, job, ctx.log).catch((err) => ctx.log.error({ err, jobId: job.id }, 'cannot resume the run above a completed stage'));
    });
    worker.on('error', (err) => ctx.log.error({ err, queue: stage }, 'worker error'));
    return worker;
  });
  if (handlers.import) {
    const worker = backend.worker(IMPORT_QUEUE, handlers.import(ctx), workerOptions(1));
    worker.on('error', (err) => ctx.log.error({ err, queue: IMPORT_QUEUE }, 'worker error'));
    workers.push(worker);
  }
  for (const extra of options.extra?.(backend) ?? []) {
    extra.on('error', (err) => ctx.log.error({ err, queue: extra.name }, 'worker error'));
    workers.push(extra);
  }
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}

/**
 * A backstop for failures the processor never saw, such as a job that stalled too often
 * because its workers kept dying: the run must still show as failed.
 */
async function onFailed(ctx: PipelineContext, job: Job | undefined, err: Error): Promise<void> {
  if (!job) return;
  const payload = job.data as Partial<StagePayload>;
  if (typeof payload?.runId !== 'string' || typeof payload.stage !== 'string') return;
  const final = err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
  if (!final) return;
  await markStageFailed(ctx.database, payload.runId, stageKey(payload.stage as StageName, payload.source, payload.part), err.message, true)
    .catch((e) => ctx.log.error({ err: e }, 'cannot record the failure'));
}
