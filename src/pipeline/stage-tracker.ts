import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { runs, runStages } from '../db/schema.js';

/**
 * Stage bookkeeping in run_stages: what the run page and `goldrun run` show. Every
 * update is keyed by (run, stage) and safe to repeat.
 */
export async function markStageRunning(
  database: Database,
  runId: string,
  stage: string,
  attempt: number,
  jobId: string | undefined,
  options: { resumed?: boolean } = {},
): Promise<void> {
  const now = new Date();
  // A stage resuming after its child jobs keeps its start time, so its duration covers them.
  const startedAt = options.resumed ? sql`coalesce(${runStages.startedAt}, now())` : now;
  await database.db.update(runStages)
    .set({ status: 'running', attempts: attempt, error: null, jobId: jobId ?? null, startedAt, finishedAt: null, ...(options.resumed ? {} : { progress: 0 }) })
    .where(and(eq(runStages.runId, runId), eq(runStages.stage, stage)));
  await database.db.update(runs)
    .set({ status: 'running', startedAt: sql`coalesce(${runs.startedAt}, now())`, error: null, finishedAt: null })
    .where(and(eq(runs.id, runId), sql`${runs.status} <> 'completed'`));
}

export async function markStageProgress(database: Database, runId: string, stage: string, progress: number): Promise<void> {
  await database.db.update(runStages).set({ progress }).where(and(eq(runStages.runId, runId), eq(runStages.stage, stage)));
}

/** `durationMs` null: measure from the stage's recorded start (a stage that waited for child jobs). */
export async function markStageCompleted(database: Database, runId: string, stage: string, durationMs: number | null, metrics: Record<string, unknown>): Promise<void> {
  const duration = durationMs ?? sql<number>`round(extract(epoch from now() - ${runStages.startedAt}) * 1000)::int`;
  await database.db.update(runStages)
    .set({ status: 'completed', progress: 1, durationMs: duration, metrics, finishedAt: new Date(), error: null })
    .where(and(eq(runStages.runId, runId), eq(runStages.stage, stage)));
}

/** A failed attempt: 'retrying' while attempts remain, else the stage and its run fail. */
export async function markStageFailed(database: Database, runId: string, stage: string, error: string, final: boolean): Promise<void> {
  await database.db.update(runStages)
    .set({ status: final ? 'failed' : 'retrying', error, finishedAt: new Date() })
    .where(and(eq(runStages.runId, runId), eq(runStages.stage, stage)));
  if (final) {
    // The first stage to fail is the cause; parents failing after it only echo it.
    await database.db.update(runs)
      .set({ status: 'failed', error: `${stage}: ${error}`, finishedAt: new Date() })
      .where(and(eq(runs.id, runId), sql`${runs.status} not in ('completed', 'failed')`));
  }
}
