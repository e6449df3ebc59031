import { loadSettings } from '../../config/load-settings.js';
import { createLogger } from '../../logger.js';
import { quarantinedForRun } from '../../pipeline/run-summary.js';
import { enqueueRun } from '../../queue/enqueue-run.js';
import { openServices, type Services } from '../../services.js';
import type { startWorkers } from '../../queue/start-workers.js';
import { followRun } from '../follow-run.js';
import { writeLine, type CommandIo } from '../io.js';
import { formatSummary, summaryJson } from '../print-summary.js';
import { progressDisplay } from '../progress-display.js';

export interface RunOptions {
  config: string;
  json?: boolean;
  /** Run the stages in this process too; the default when the database is embedded. */
  worker?: boolean;
  threads?: number;
  timeoutSeconds?: number;
  /** Rescore every record rather than build on the last completed run. */
  full?: boolean;
}

const NO_WORKER_HINT_MS = 15_000;

/** Queues a run, follows it with a progress display, prints what it did. Exit code 0 when it completed. */
export async function runCommand(options: RunOptions, io: CommandIo): Promise<number> {
  const settings = await loadSettings(options.config);
  const quiet = io.stderr.isTTY && !io.env.logLevelExplicit;
  const log = createLogger({ level: quiet ? 'warn' : io.env.logLevel });
  const services = await openServices({ env: io.env, log, threads: options.threads });
  const inProcess = options.worker ?? services.database.embedded;
  // Only a run that works in this process loads the stages: following one is all the rest need.
  const workers = inProcess ? await startStageWorkers(services) : null;
  const display = progressDisplay(io.stderr);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const runId = await enqueueRun(services.queues, services.database, settings, { full: options.full });
    writeLine(io.stderr, `run ${runId} queued on ${services.queues.description}${inProcess ? ', stages run in this process' : ''}`);
    const started = Date.now();
    let hinted = false;
    const summary = await followRun(services.database, runId, {
      timeoutMs: options.timeoutSeconds ? options.timeoutSeconds * 1000 : undefined,
      signal: abort.signal,
      onUpdate: (s) => {
        display.update(s);
        if (!hinted && !inProcess && s.status === 'queued' && Date.now() - started > NO_WORKER_HINT_MS) {
          hinted = true;
          writeLine(io.stderr, 'no worker has picked up the run yet: start one with `goldrun worker` (same DATABASE_URL and REDIS_URL)');
        }
      },
    });
    display.stop();
    const quarantined = await quarantinedForRun(services.database, runId);
    if (options.json) writeLine(io.stdout, JSON.stringify(summaryJson(summary)));
    else writeLine(io.stdout, formatSummary(summary, quarantined));
    return summary.status === 'completed' ? 0 : 1;
  } finally {
    display.stop();
    process.off('SIGINT', onSignal);
    await workers?.close();
    await services.close();
  }
}

async function startStageWorkers(services: Services): Promise<ReturnType<typeof startWorkers>> {
  const [{ stageHandlers }, { startWorkers }] = await Promise.all([import('../../../jobs/index.js'), import('../../queue/start-workers.js')]);
  return startWorkers(services.queues, services.ctx, stageHandlers);
}
