import type { Sql } from '../db/client.js';
import { obtainModel } from './obtain-model.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { runMatchPlan } from './match-plan-cache.js';
import { incrementalScope, latestReusableRun } from './incremental.js';
import { runSettings } from './runs.js';

export interface TrainMetrics extends Record<string, unknown> {
  records: number;
  candidatePairs: number;
  iterations: number;
  converged: boolean;
  prior: number;
  method: string;
  /** The run whose model this run reused, when it did not train. */
  reusedFrom?: string;
}

/**
 * Trains the Fellegi–Sunter model on this run's records without labels and keeps it with
 * the run, or reuses the model of the latest completed run with the same settings (see
 * `model.reuseForDays`).
 */
export async function trainRunModel(ctx: PipelineContext, runId: string, progress: ProgressReporter): Promise<TrainMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const { sql } = ctx.database;
  const base = (await incrementalScope(sql, runId))?.baseRunId ?? null;
  const reused = settings.model.file ? undefined : await reuseModel(sql, runId, settings.model.reuseForDays, base);
  if (reused) return reused;
  // A base whose model is gone cannot be built on: this run trains and rescores everything.
  if (base) await sql`update runs set base_run_id = null where id = ${runId}`;
  const { ids, plan } = await runMatchPlan(ctx.database, runId, settings);
  progress(0.3);
  const model = await obtainModel(ctx.runner, plan, settings);
  progress(0.9);
  await sql`
    insert into run_models (run_id, params, trained_on_pairs, iterations, converged, method, sessions)
    values (${runId}, ${JSON.stringify(model.params)}::jsonb, ${model.candidatePairs}, ${model.iterations}, ${model.converged},
      ${model.method}, ${JSON.stringify(model.sessions)}::jsonb)
    on conflict (run_id) do update set params = excluded.params, trained_on_pairs = excluded.trained_on_pairs,
      iterations = excluded.iterations, converged = excluded.converged, method = excluded.method, sessions = excluded.sessions,
      created_at = now()`;
  return {
    records: ids.length,
    candidatePairs: model.candidatePairs,
    iterations: model.iterations,
    converged: model.converged,
    prior: model.params.prior,
    method: model.method,
  };
}

/**
 * Copies the model of the latest completed run of the deployment with the same settings
 * fingerprint, keeping its training time so that its age counts from when it was trained.
 */
async function reuseModel(sql: Sql, runId: string, days: number, base: string | null): Promise<TrainMetrics | undefined> {
  if (days === 0) return undefined;
  // An incremental run carries its base's pairs over, so it must score with the base's model.
  const fromRun = base ?? await latestReusableRun(sql, runId, days);
  const [from] = fromRun === null ? [] : await sql<{ run_id: string; iterations: number; converged: boolean; prior: number }[]>`
    select run_id, iterations, converged, (params->>'prior')::float8 as prior from run_models where run_id = ${fromRun}`;
  if (!from) return undefined;
  await sql`
    insert into run_models (run_id, params, trained_on_pairs, iterations, converged, method, sessions, created_at)
    select ${runId}, params, trained_on_pairs, iterations, converged, 'reused', sessions, created_at from run_models where run_id = ${from.run_id}
    on conflict (run_id) do update set params = excluded.params, trained_on_pairs = excluded.trained_on_pairs, iterations = excluded.iterations,
      converged = excluded.converged, method = excluded.method, sessions = excluded.sessions, created_at = excluded.created_at`;
  return { records: 0, candidatePairs: 0, iterations: from.iterations, converged: from.converged, prior: from.prior, method: 'reused', reusedFrom: from.run_id };
}
