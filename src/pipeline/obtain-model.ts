import { readFile } from 'node:fs/promises';
import type { Settings } from '../config/settings-schema.js';
import { SettingsError } from '../errors.js';
import { trainModel, type MatchPlan, type TrainedModel } from '../score/engine.js';
import { parseModelFile } from '../score/model-file.js';
import type { ShardRunner } from '../score/runner.js';

/** The model a run scores with: the one pinned in settings (`model.file`), or one trained now. */
export async function obtainModel(runner: ShardRunner, plan: MatchPlan, settings: Settings): Promise<TrainedModel> {
  const file = settings.model.file;
  if (!file) return trainModel(runner, plan, settings);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SettingsError('settings', [`model.file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
  }
  let params;
  try {
    params = parseModelFile(text, plan.levels, file);
  } catch (err) {
    throw new SettingsError('settings', [`model.file: ${(err as Error).message}`]);
  }
  return { params, iterations: 0, converged: true, candidatePairs: 0, method: 'file', sessions: [] };
}
