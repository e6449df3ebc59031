import { obtainModel } from './obtain-model.js';
import type { PipelineContext, ProgressReporter } from './context.js';
import { runMatchPlan } from './match-plan-cache.js';
import { runSettings } from './runs.js';

export interface TrainMetrics extends Record<string, unknown> {
  records: number;
  candidatePairs: number;
  iterations: number;
  converged: boolean;
  prior: number;
  method: string;
}

/** Trains the Fellegi–Sunter model on this run's records without labels and keeps it with the run. */
export async function trainRunModel(ctx: PipelineContext, runId: string, progress: ProgressReporter): Promise<TrainMetrics> {
  const settings = await runSettings(ctx.database, runId);
  const { sql } = ctx.database;
  const { ids, plan } = await runMatchPlan(sql, runId, settings);
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
