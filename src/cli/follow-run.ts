import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/client.js';
import { runSummary, type RunSummary } from '../pipeline/run-summary.js';

export const TERMINAL = new Set(['completed', 'failed']);

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
  for (;;) {
    const summary = await runSummary(database, runId);
    if (!summary) throw new Error(`run ${runId} does not exist`);
    options.onUpdate?.(summary);
    if (TERMINAL.has(summary.status) || Date.now() > deadline || options.signal?.aborted) return summary;
    await sleep(options.pollMs ?? 300);
  }
}
