import { createHash } from 'node:crypto';
import type { Job, Processor } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { Database } from '../src/db/client.js';
import { deploymentSettings } from '../src/pipeline/runs.js';
import { enqueueRun } from '../src/queue/enqueue-run.js';
import type { QueueBackend } from '../src/queue/queue-backend.js';

/**
 * Processor of the `runs` queue, fed by the nightly job scheduler: starts a run of the
 * deployment from its stored settings. The run id comes from the job id, so a retried
 * start reuses the run it already created instead of starting a second one.
 */
export function startScheduledRun(backend: QueueBackend, database: Database): Processor {
  return async (job: Job) => {
    const deployment = (job.data as { deployment?: unknown }).deployment;
    if (typeof deployment !== 'string') throw new UnrecoverableError(`job ${job.id} names no deployment`);
    const settings = await deploymentSettings(database, deployment).catch((err: Error) => {
      throw new UnrecoverableError(err.message);
    });
    const runId = `s${createHash('sha1').update(String(job.id)).digest('hex').slice(0, 15)}`;
    await enqueueRun(backend, database, settings, { trigger: 'schedule', runId });
    return { runId };
  };
}
