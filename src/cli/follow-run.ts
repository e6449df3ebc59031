import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/client.js';
import { runSummary, type RunSummary } from '../pipeline/run-summary.js';


/**
 * Polls a run's rows in Postgres until it completes or fails. Progress lives in the
 * database, so this works whichever process and machine runs the stages.
 */
export async function followRun(
  database: Database,
  runId: string,
  options: { pollMs?: number; timeoutMs?: number; onUpdate?: (summary: RunSummary) => void; signal?: AbortSignal } = {},
): Promise<RunSummary> {
  const deadline = options.timeoutMs ? Date.now() + options.timeoutMs : Infinity;
  let settleUntil = 0;
  for (;;) {
    const summary = await runSummary(database, runId);
    if (!summary) throw new Error(`run ${runId} does not exist`);
    options.onUpdate?.(summary);
    if (Date.now() > deadline || options.signal?.aborted) return summary;
    if (summary.status === 'failed') return summary;
    if (summary.status === 'completed') {
      // The commit marks the run completed inside its transaction; its own stage row is
      // closed by the worker once the statistics are refreshed after it (seconds at a
      // million records). Wait for it, so timings are whole, unless the worker died there.
      settleUntil ||= Date.now() + 30_000;
      if (summary.stages.every((s) => s.status !== 'running') || Date.now() > settleUntil) return summary;
    }
    await sleep(options.pollMs ?? 300);
  }
}
