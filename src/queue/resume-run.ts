import { eq } from 'drizzle-orm';
import type { Job, Queue } from 'bullmq';
import type { Database } from '../db/client.js';
import { runStages } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { SCORE_PART_QUEUE, STAGES, type StageName } from '../pipeline/stages.js';

/**
 * Resuming a failed run. A stage that fails for good fails every stage above it in the
 * flow (failParentOnFailure), and BullMQ leaves those parents failed when the child is
 * retried later. So when a retried stage completes, goldrun retries its parent itself,
 * once everything under the parent has completed: the chain climbs back to the commit,
 * completed stages are not redone, and the run completes.
 */

const order = (stage: string) => STAGES.indexOf(stage.split(':')[0] as StageName);

/** The stages that must have completed before `stageKey` may run: every earlier stage, and a stage's own parts. */
export async function unfinishedBefore(database: Database, runId: string, stageKey: string, options: { ownParts: boolean }): Promise<string[]> {
  const rows = await database.db.select({ stage: runStages.stage, status: runStages.status }).from(runStages).where(eq(runStages.runId, runId));
  const mine = order(stageKey);
  return rows
    .filter((r) => order(r.stage) < mine || (options.ownParts && r.stage !== stageKey && r.stage.startsWith(`${stageKey}:`)))
    .filter((r) => r.status !== 'completed')
    .map((r) => `${r.stage} (${r.status})`);
}

/** Queue name from a parent's queue key: "prefix:queue" on Redis, the bare name on Postgres. */
export function queueNameOf(queueKey: string): string {
  return queueKey.slice(queueKey.lastIndexOf(':') + 1);
}

/**
 * Called when a stage job completed: retries its parent if the parent failed (because
 * this job failed earlier) and nothing else under it is unfinished.
 */
export async function resumeParent(database: Database, queue: (name: string) => Queue, job: Job, log: Logger): Promise<boolean> {
  if (!job.parent?.id) return false;
  const data = job.data as { runId?: string };
  if (typeof data.runId !== 'string') return false;
  const parent = await queue(queueNameOf(job.parent.queueKey)).getJob(job.parent.id);
  if (!parent || (await parent.getState()) !== 'failed') return false;
  const parentData = parent.data as { stage?: string; runId?: string };
  if (parentData.runId !== data.runId || typeof parentData.stage !== 'string') return false;
  const waiting = await unfinishedBefore(database, data.runId, parentData.stage, { ownParts: true });
  if (waiting.length > 0) {
    log.info({ runId: data.runId, parent: parent.id, waiting }, 'a retried stage completed; its parent resumes once the rest completes');
    return false;
  }
  try {
    await parent.retry('failed');
  } catch (err) {
    // Another worker completing a sibling at the same moment got there first.
    if (await parent.isFailed()) throw err;
    return false;
  }
  log.info({ runId: data.runId, job: parent.id, after: job.id }, 'run resumes: retried the stage above a completed retry');
  return true;
}

/** The queue and job id of a run_stages row: "pull:crm" → pull/run.pull.crm, "score:part2" → score-part/run.score.part2. */
export function stageJob(runId: string, stageKey: string): { queue: string; jobId: string } {
  const [stage, detail] = stageKey.split(':') as [string, string?];
  if (detail === undefined) return { queue: stage, jobId: `${runId}.${stage}` };
  if (stage === 'score') return { queue: SCORE_PART_QUEUE, jobId: `${runId}.score.${detail}` };
  return { queue: stage, jobId: `${runId}.${stage}.${detail}` };
}

/**
 * Retries the failed stages of a run that can run now (everything before them completed):
 * the run page's "resume" button. The stages above follow by themselves. Returns what it retried.
 */
export async function resumeRun(database: Database, queue: (name: string) => Queue, runId: string): Promise<string[]> {
  const rows = await database.db.select({ stage: runStages.stage, status: runStages.status }).from(runStages).where(eq(runStages.runId, runId));
  const retried: string[] = [];
  for (const row of rows.filter((r) => r.status === 'failed')) {
    if ((await unfinishedBefore(database, runId, row.stage, { ownParts: false })).length > 0) continue;
    const { queue: name, jobId } = stageJob(runId, row.stage);
    const job = await queue(name).getJob(jobId);
    if (!job || (await job.getState()) !== 'failed') continue;
    await job.retry('failed');
    retried.push(row.stage);
  }
  return retried;
}
