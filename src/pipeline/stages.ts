/** The stages of a run, in order. Pull runs once per source ("pull:crm"). */
export const STAGES = ['pull', 'standardize', 'block', 'train', 'score', 'cluster', 'survive', 'commit'] as const;
export type StageName = (typeof STAGES)[number];

export interface StagePayload {
  runId: string;
  stage: StageName;
  /** For pull: which source. */
  source?: string;
}

/** The run_stages key of a stage job. */
export function stageKey(stage: StageName, source?: string): string {
  return source ? `${stage}:${source}` : stage;
}

export function isStageName(value: unknown): value is StageName {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}
