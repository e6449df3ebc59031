import { once } from 'node:events';
import { stageHandlers } from '../../../jobs/index.js';
import { startScheduledRun } from '../../../jobs/start-scheduled-run.js';
import { GoldrunError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { RUNS_QUEUE } from '../../queue/run-flow.js';
import { startWorkers } from '../../queue/start-workers.js';
import { openServices } from '../../services.js';
import type { CommandIo } from '../io.js';

export interface WorkerCommandOptions {
  threads?: number;
  pullConcurrency?: number;
  lockMs?: number;
}

/**
 * Runs every stage's worker until SIGTERM or SIGINT, then stops taking jobs and lets the
 * jobs in hand finish before exiting. Start as many as you like, on as many machines.
 */
export async function workerCommand(options: WorkerCommandOptions, io: CommandIo): Promise<number> {
  if (!io.env.databaseUrl) {
    throw new GoldrunError('goldrun worker needs DATABASE_URL: the embedded database lives inside one process, so use `goldrun run` there', { retryable: false });
  }
  const log = createLogger({ level: io.env.logLevel });
  const services = await openServices({ env: io.env, log, threads: options.threads, pullConcurrency: options.pullConcurrency });
  const running = startWorkers(services.queues, services.ctx, stageHandlers, {
    pullConcurrency: options.pullConcurrency,
    lockDurationMs: options.lockMs,
    extra: (backend) => [backend.worker(RUNS_QUEUE, startScheduledRun(backend, services.database), { concurrency: 1, autorun: true })],
  });
  log.info({ queues: services.queues.description, database: services.database.location, pid: process.pid }, 'worker ready');
  const signal = await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]).then(() => 'signal');
  log.info({ signal }, 'shutting down: finishing the jobs in hand');
  await running.close();
  await services.close();
  log.info('worker stopped');
  return 0;
}
