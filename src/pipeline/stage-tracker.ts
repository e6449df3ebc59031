import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { runs, runStages } from '../db/schema.js';

/**
 * Stage bookkeeping in run_stages: what the run page and `goldrun run` show. Every
 * update is keyed by (run, stage) and safe to repeat.
 */
export async function markStageRunning(database: Database, runId: string, stage: string, attempt: number, jobId: string | undefined): Promise<void> {
  const now = new Date();
  await database.db.update(runStages)
    .set({ status: 'running', attempts: attempt, progress: 0, error: null, jobId: jobId ?? null, startedAt: now, finishedAt: null })
    .where(and(eq(runStages.runId, runId), eq(runStages.stage, stage)));
  await database.db.update(runs)
    .set({ status: 'running', startedAt: sql`coalesce(${runs.startedAt}, now())`, error: null, finishedAt: null })
    .where(and(eq(runs.id, runId), sql`${runs.status} <> 'completed'`));
}

export async function markStageProgress(database: Database, runId: string, stage: string, progress: number): Promise<void> {
  await database.db.update(runStages).set({ progress }).where(and(eq(runStages.runId, runId), eq(runStages.stage, stage)));
}

export async function markStageCompleted(database: Database, runId: string, stage: string, durationMs: number, metrics: Record<string, unknown>): Promise<void> {
  await database.db.update(runStages)
    .set({ status: 'completed', progress: 1, durationMs, metrics, finishedAt: new Date(), error: null })
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
