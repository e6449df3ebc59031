import { z } from 'zod';
import type { ComparisonLevels } from './comparison.js';
import type { ModelParams } from './fellegi-sunter.js';

const probability = z.number().min(0).max(1);

const modelFileSchema = z.object({
  kind: z.literal('goldrun-model'),
  version: z.literal(1),
  /** The deployment (settings name) the model was trained for. */
  deployment: z.string(),
  trainedAt: z.string(),
  /** Where it came from: a run id, or "evaluate". */
  origin: z.string(),
  params: z.object({
    prior: z.number().gt(0).lt(1),
    comparisons: z.array(z.object({
      label: z.string(),
      attribute: z.string(),
      levels: z.array(z.object({ label: z.string(), m: probability.nullable(), u: probability.nullable() })),
    })),
  }),
});

export type ModelFile = z.output<typeof modelFileSchema>;

export function modelFile(deployment: string, origin: string, params: ModelParams, trainedAt = new Date().toISOString()): ModelFile {
  return { kind: 'goldrun-model', version: 1, deployment, trainedAt, origin, params };
}

/**
 * Reads a saved model and checks it fits the comparisons of the settings in force: the same
 * comparisons with the same levels, in the same order. A model trained for other levels
 * would weigh the wrong evidence, so a mismatch is an error that names the first difference.
 */
export function parseModelFile(text: string, levels: ReadonlyArray<ComparisonLevels>, where: string): ModelParams {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where}: not JSON (${(err as Error).message})`);
  }
  const parsed = modelFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${where}: not a goldrun model file (${issue.path.join('.') || '(root)'}: ${issue.message})`);
  }
  const params = parsed.data.params;
  if (params.comparisons.length !== levels.length) {
    throw new Error(`${where}: the model has ${params.comparisons.length} comparisons, the settings ${levels.length}`);
  }
  levels.forEach((expected, k) => {
    const got = params.comparisons[k]!;
    if (got.attribute !== expected.attribute) {
      throw new Error(`${where}: comparison ${k + 1} compares ${got.attribute} in the model, ${expected.attribute} in the settings`);
    }
    const labels = got.levels.map((l) => l.label);
    if (labels.join('\u0000') !== expected.levels.join('\u0000')) {
      throw new Error(`${where}: comparison ${expected.label} has levels [${labels.join(', ')}] in the model, [${expected.levels.join(', ')}] in the settings`);
    }
  });
  return params;
}
