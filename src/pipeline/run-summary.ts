import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { quarantinedRows, runs, runStages } from '../db/schema.js';
import type { CommitMetrics } from './commit-run.js';
import { STAGES, type StageName } from './stages.js';

export interface RunSummary {
  runId: string;
  deployment: string;
  status: string;
  sources: Record<string, { pulled: number; quarantined: number }>;
  candidatePairs: number;
  matchedPairs: number;
  reviewPairs: number;
  clusters: number;
  /** total = golden records the run's clusters hold; retired = ids retired by the run. */
  goldenRecords: { total: number; created: number; updated: number; unchanged: number; retired: number };
  goldenEvents: { mint: number; split: number; merge: number; retire: number };
  excluded: number;
  durationMs: number | null;
  stages: Array<{ stage: string; status: string; attempts: number; progress: number; durationMs: number | null; error: string | null }>;
  oversizedBlocks: Array<{ rule: string; key: string; records: number }>;
  error: string | null;
}

/** What a run did, from run_stages and runs: the figures `goldrun run` prints. */
export async function runSummary(database: Database, runId: string): Promise<RunSummary | null> {
  const [run] = await database.db.select().from(runs).where(eq(runs.id, runId));
  if (!run) return null;
  const order = (stage: string) => STAGES.indexOf(stage.split(':')[0] as StageName);
  const stages = (await database.db.select().from(runStages).where(eq(runStages.runId, runId)))
    .sort((a, b) => order(a.stage) - order(b.stage) || (a.stage < b.stage ? -1 : 1));
  const metric = (stage: string, name: string): number => Number((stages.find((s) => s.stage === stage)?.metrics as Record<string, unknown> | undefined)?.[name] ?? 0);
  const standardize = stages.find((s) => s.stage === 'standardize')?.metrics as { quarantinedBySource?: Record<string, number>; excluded?: number } | undefined;
  const sources: RunSummary['sources'] = {};
  for (const s of stages.filter((x) => x.stage.startsWith('pull:'))) {
    const name = s.stage.slice('pull:'.length);
    sources[name] = {
      pulled: metric(s.stage, 'pulled'),
      quarantined: metric(s.stage, 'quarantined') + (standardize?.quarantinedBySource?.[name] ?? 0),
    };
  }
  const commit = (run.counts as { commit?: Partial<CommitMetrics> }).commit;
  // Scoring reports the blocks it planned; runs from before that reported them from the block stage.
  const oversized = (stage: string) => (stages.find((s) => s.stage === stage)?.metrics as { oversized?: RunSummary['oversizedBlocks'] } | undefined)?.oversized;
  return {
    runId,
    deployment: run.deployment,
    status: run.status,
    sources,
    candidatePairs: metric('score', 'candidatePairs'),
    matchedPairs: metric('score', 'matchedPairs'),
    reviewPairs: metric('score', 'reviewPairs'),
    clusters: metric('cluster', 'clusters'),
    goldenRecords: {
      total: commit?.goldenRecords ?? 0, created: commit?.created ?? 0, updated: commit?.updated ?? 0,
      unchanged: commit?.unchanged ?? 0, retired: commit?.retired ?? 0,
    },
    goldenEvents: { mint: 0, split: 0, merge: 0, retire: 0, ...commit?.events },
    excluded: (standardize?.excluded ?? 0) + stages.filter((x) => x.stage.startsWith('pull:')).reduce((n, x) => n + metric(x.stage, 'excluded'), 0),
    durationMs: runDurationMs(run.startedAt, run.finishedAt, latest(stages.map((s) => s.finishedAt))),
    stages: stages.map((s) => ({ stage: s.stage, status: s.status, attempts: s.attempts, progress: s.progress, durationMs: s.durationMs, error: s.error })),
    oversizedBlocks: oversized('score') ?? oversized('block') ?? [],
    error: run.error,
  };
}

/**
 * A finished run's wall time, to the end of its last stage: runs.finished_at is the commit
 * transaction's start (see the schema), which left the commit out (15 s of a 75 s run).
 */
export function runDurationMs(startedAt: Date | null, finishedAt: Date | null, lastStageEnd: Date | null): number | null {
  if (!startedAt || !finishedAt) return null;
  return Math.max(finishedAt.getTime(), lastStageEnd?.getTime() ?? 0) - startedAt.getTime();
}

function latest(times: ReadonlyArray<Date | null>): Date | null {
  let out: Date | null = null;
  for (const t of times) if (t && (!out || t > out)) out = t;
  return out;
}

export async function quarantinedForRun(database: Database, runId: string, limit = 20) {
  return database.db.select({
    source: quarantinedRows.source, rowNumber: quarantinedRows.rowNumber, sourceId: quarantinedRows.sourceId,
    field: quarantinedRows.field, reason: quarantinedRows.reason,
  }).from(quarantinedRows).where(eq(quarantinedRows.runId, runId)).orderBy(asc(quarantinedRows.source), asc(quarantinedRows.rowNumber)).limit(limit);
}
