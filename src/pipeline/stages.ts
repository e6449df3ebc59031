/** The stages of a run, in order. Pull runs once per source ("pull:crm"). */
export const STAGES = ['pull', 'standardize', 'block', 'train', 'score', 'cluster', 'survive', 'commit'] as const;
export type StageName = (typeof STAGES)[number];

export interface StagePayload {
  runId: string;
  stage: StageName;
  /** For pull: which source. */
  source?: string;
  /** For a part of the score stage: which part, of how many. */
  part?: number;
  parts?: number;
}

/** The run_stages key of a stage job: "pull:crm", "score:part1", "train". */
export function stageKey(stage: StageName, source?: string, part?: number): string {
  if (source) return `${stage}:${source}`;
  return part === undefined ? stage : `${stage}:part${part}`;
}

/** Queue of the parts the score stage fans out to, so several workers score one run. */
export const SCORE_PART_QUEUE = 'score-part';

/** Sources a worker pulls at once unless told otherwise (a scanning thread each). */
export const PULLS_AT_ONCE = 4;

export function isStageName(value: unknown): value is StageName {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** Every queue a worker serves: one per stage, plus the score parts. */
export const WORK_QUEUES = [...STAGES, SCORE_PART_QUEUE] as const;
export type WorkQueue = (typeof WORK_QUEUES)[number];
