import { loadSettings } from '../../config/load-settings.js';
import { GoldrunError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { saveDeployment } from '../../pipeline/runs.js';
import { RUNS_QUEUE } from '../../queue/run-flow.js';
import { openServices } from '../../services.js';
import { writeLine, type CommandIo } from '../io.js';

export function schedulerId(deployment: string): string {
  return `nightly-${deployment}`;
}

/**
 * Stores the deployment's settings and upserts a BullMQ job scheduler that starts a run
 * on the cron pattern. Workers (`goldrun worker`) pick the runs up; running it again
 * replaces the schedule.
 */
export async function scheduleCommand(options: { config: string; cron?: string; tz?: string; remove?: boolean }, io: CommandIo): Promise<number> {
  const settings = await loadSettings(options.config);
  const services = await openServices({ env: io.env, log: createLogger({ level: io.env.logLevel }) });
  const queue = services.queues.queue(RUNS_QUEUE);
  try {
    const id = schedulerId(settings.name);
    if (options.remove) {
      const removed = await queue.removeJobScheduler(id);
      writeLine(io.stdout, removed ? `removed the schedule of ${settings.name}` : `${settings.name} had no schedule`);
      return 0;
    }
    if (!options.cron) throw new GoldrunError('give --cron "<pattern>" (or --remove)', { retryable: false });
    await saveDeployment(services.database.db, settings);
    await queue.upsertJobScheduler(id, { pattern: options.cron, ...(options.tz ? { tz: options.tz } : {}) }, {
      name: 'scheduled-run',
      data: { deployment: settings.name },
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    });
    const scheduler = await queue.getJobScheduler(id);
    const next = scheduler?.next ? new Date(scheduler.next).toISOString() : 'unknown';
    writeLine(io.stdout, `scheduled ${settings.name}: "${options.cron}"${options.tz ? ` (${options.tz})` : ''}, next run at ${next}`);
    return 0;
  } finally {
    await queue.close();
    await services.close();
  }
}

/** Lists the job schedulers with their next run. */
export async function schedulesCommand(io: CommandIo): Promise<number> {
  const services = await openServices({ env: io.env, log: createLogger({ level: io.env.logLevel }) });
  const queue = services.queues.queue(RUNS_QUEUE);
  try {
    const schedulers = await queue.getJobSchedulers(0, -1, true);
    if (schedulers.length === 0) writeLine(io.stdout, 'no schedules');
    for (const s of schedulers) {
      writeLine(io.stdout, `${s.key}  "${s.pattern ?? `every ${s.every} ms`}"${s.tz ? ` ${s.tz}` : ''}  next ${s.next ? new Date(s.next).toISOString() : '-'}`);
    }
    return 0;
  } finally {
    await queue.close();
    await services.close();
  }
}
