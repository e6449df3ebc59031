import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { runs } from '../../db/schema.js';
import { GoldrunError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { resumeRun } from '../../queue/resume-run.js';
import { openServices } from '../../services.js';
import { followRun } from '../follow-run.js';
import { writeLine, type CommandIo } from '../io.js';
import { formatSummary } from '../print-summary.js';
import { progressDisplay } from '../progress-display.js';

const PICKUP_WAIT_MS = 30_000;

/**
 * The board's "retry failed stages" from a shell: retries the failed stages of a run that
 * can run now and follows the run to its end. Workers (`goldrun worker`) do the work.
 */
export async function resumeCommand(runId: string, options: { follow: boolean }, io: CommandIo): Promise<number> {
  const services = await openServices({ env: io.env, log: createLogger({ level: io.env.logLevelExplicit ? io.env.logLevel : 'warn' }) });
  const queues = new Map<string, Queue>();
  const queue = (name: string) => queues.get(name) ?? queues.set(name, services.queues.queue(name)).get(name)!;
  const status = async () => (await services.database.db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)))[0]?.status;
  try {
    const before = await status();
    if (!before) throw new GoldrunError(`run ${runId} does not exist`, { retryable: false });
    if (before !== 'failed') {
      writeLine(io.stdout, `run ${runId} is ${before}: nothing to resume`);
      return before === 'completed' ? 0 : 1;
    }
    const retried = await resumeRun(services.database, queue, runId);
    if (retried.length === 0) {
      writeLine(io.stdout, `run ${runId}: no failed stage can be retried (its jobs are gone or not failed); start a new run`);
      return 1;
    }
    writeLine(io.stderr, `run ${runId}: retried ${retried.join(', ')}; the stages after it follow`);
    if (!options.follow) return 0;
    const deadline = Date.now() + PICKUP_WAIT_MS;
    while ((await status()) === 'failed' && Date.now() < deadline) await sleep(300);
    if ((await status()) === 'failed') writeLine(io.stderr, 'no worker has picked the retry up yet: is `goldrun worker` running?');
    const display = progressDisplay(io.stderr);
    const summary = await followRun(services.database, runId, { onUpdate: (s) => display.update(s) });
    display.stop();
    writeLine(io.stdout, formatSummary(summary, []));
    return summary.status === 'completed' ? 0 : 1;
  } finally {
    for (const q of queues.values()) await q.close();
    await services.close();
  }
}
