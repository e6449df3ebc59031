import type { RunSummary } from '../pipeline/run-summary.js';

export interface QuarantineLine {
  source: string;
  rowNumber: number;
  sourceId: string | null;
  field: string;
  reason: string;
}

/** The human summary of a run, for stdout. */
export function formatSummary(summary: RunSummary, quarantined: ReadonlyArray<QuarantineLine> = []): string {
  const lines: string[] = [];
  lines.push(`run ${summary.runId} (${summary.deployment}): ${summary.status}${summary.durationMs !== null ? ` in ${(summary.durationMs / 1000).toFixed(1)} s` : ''}`);
  if (summary.error) lines.push(`  error: ${summary.error}`);
  lines.push('  sources:');
  for (const [name, s] of Object.entries(summary.sources)) lines.push(`    ${name.padEnd(16)} ${String(s.pulled).padStart(8)} pulled  ${String(s.quarantined).padStart(5)} quarantined`);
  if (quarantined.length > 0) {
    lines.push('  quarantined rows:');
    for (const q of quarantined) {
      lines.push(`    ${q.source} row ${q.rowNumber}${q.sourceId ? ` (id ${q.sourceId})` : ''}${q.field ? `, field ${q.field}` : ''}: ${q.reason}`);
    }
  }
  if (summary.excluded > 0) lines.push(`  not customers (excluded): ${summary.excluded}`);
  lines.push(`  candidate pairs: ${summary.candidatePairs}   matched: ${summary.matchedPairs}   for review: ${summary.reviewPairs}`);
  lines.push(`  clusters: ${summary.clusters}   golden records: ${summary.goldenRecords.total} (created ${summary.goldenRecords.created}, updated ${summary.goldenRecords.updated}, unchanged ${summary.goldenRecords.unchanged}, retired ${summary.goldenRecords.retired})`);
  const e = summary.goldenEvents;
  if (e.split + e.merge + e.retire > 0) lines.push(`  golden ids: ${e.mint} minted, ${e.split} split off, ${e.merge} merged away, ${e.retire} retired (goldrun history --run ${summary.runId})`);
  for (const o of summary.oversizedBlocks.slice(0, 5)) lines.push(`  oversized block skipped: ${o.rule} = "${o.key}" (${o.records} records)`);
  lines.push('  stages:');
  for (const s of summary.stages) {
    lines.push(`    ${s.stage.padEnd(18)} ${s.status.padEnd(9)} ${s.durationMs !== null ? `${s.durationMs} ms` : ''}${s.attempts > 1 ? `  (${s.attempts} attempts)` : ''}${s.error && s.status !== 'completed' ? `  ${s.error}` : ''}`);
  }
  return lines.join('\n');
}

/** The machine-readable last line of `goldrun run --json`. */
export function summaryJson(summary: RunSummary): Record<string, unknown> {
  return {
    runId: summary.runId,
    status: summary.status,
    sources: summary.sources,
    candidatePairs: summary.candidatePairs,
    matchedPairs: summary.matchedPairs,
    reviewPairs: summary.reviewPairs,
    clusters: summary.clusters,
    goldenRecords: summary.goldenRecords,
    goldenEvents: summary.goldenEvents,
    durationMs: summary.durationMs,
    stages: Object.fromEntries(summary.stages.map((s) => [s.stage, s.durationMs])),
    oversizedBlocks: summary.oversizedBlocks,
    error: summary.error,
  };
}
