import { secretFromEnvironment } from '../../config/env.js';
import { loadSettings } from '../../config/load-settings.js';
import { GoldrunError } from '../../errors.js';
import { readRecordsInMemory, type InMemoryRecord } from '../../evaluate/read-records.js';
import { obtainModel } from '../../pipeline/obtain-model.js';
import { buildMatchPlan, thresholdWeights } from '../../score/engine.js';
import { explainPair, type Waterfall } from '../../score/explain-pair.js';
import { probabilityFromWeight } from '../../score/fellegi-sunter.js';
import { createThreadPool } from '../../score/thread-pool.js';
import { writeLine, type CommandIo } from '../io.js';

export interface ExplainOptions {
  config: string;
  left: string;
  right: string;
  /** A saved model to use instead of training (as `model.file` in settings). */
  model?: string;
  json?: boolean;
  threads?: number;
}

/**
 * Prints the waterfall of one pair: prior, each comparison's level and weight, the running
 * total and the final probability. Records are named `source:id`, or by id alone when only
 * one source holds it.
 */
export async function explainCommand(options: ExplainOptions, io: CommandIo): Promise<number> {
  const settings = await loadSettings(options.config);
  if (options.model) settings.model.file = options.model;
  const { records } = await readRecordsInMemory(settings, secretFromEnvironment);
  const i = findRecord(records, options.left);
  const j = findRecord(records, options.right);
  const pool = createThreadPool(options.threads ?? 0);
  try {
    const plan = buildMatchPlan(records, settings);
    const model = await obtainModel(pool, plan, settings);
    const waterfall = explainPair(plan, model.params, settings.blocking.rules, i, j);
    const { matchWeight, reviewWeight } = thresholdWeights(settings.thresholds);
    const decision = waterfall.weight >= matchWeight ? 'match' : waterfall.weight >= reviewWeight ? 'possible match (review)' : 'no match';
    if (options.json) {
      writeLine(io.stdout, JSON.stringify({ left: options.left, right: options.right, ...waterfall, decision, matchWeight, reviewWeight }));
    } else {
      printWaterfall(waterfall, `${options.left}  ×  ${options.right}`, decision, matchWeight, io);
    }
    return 0;
  } finally {
    await pool.destroy();
  }
}

function findRecord(records: ReadonlyArray<InMemoryRecord>, name: string): number {
  const colon = name.indexOf(':');
  const hits: number[] = [];
  records.forEach((r, k) => {
    if (r.id === name || (colon > 0 && r.source === name.slice(0, colon) && r.id === name.slice(colon + 1))) hits.push(k);
  });
  if (hits.length === 0) throw new GoldrunError(`no record "${name}" in any source (name it source:id or by its id)`, { retryable: false });
  if (hits.length > 1) {
    const where = hits.map((k) => `${records[k]!.source}:${records[k]!.id}`).join(', ');
    throw new GoldrunError(`"${name}" names several records (${where}): say which as source:id`, { retryable: false });
  }
  return hits[0]!;
}

function printWaterfall(w: Waterfall, title: string, decision: string, matchWeight: number, io: CommandIo): void {
  const num = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(2);
  const rows: string[][] = [['prior', '', '', '', num(w.priorWeight), num(w.priorWeight)]];
  for (const s of w.steps) {
    const tf = s.termFrequency ? ` (tf: ${(s.termFrequency.valueShare * 100).toPrecision(2)}% of records)` : '';
    rows.push([s.label, s.left ?? '∅', s.right ?? '∅', `${s.levelLabel}${tf}`, num(s.weight), num(s.total)]);
  }
  const header = ['comparison', 'left', 'right', 'level', 'weight', 'total'];
  const widths = header.map((h, c) => Math.min(32, Math.max(h.length, ...rows.map((r) => r[c]!.length))));
  const line = (r: string[]) => r.map((cell, c) => {
    const text = cell.length > widths[c]! ? `${cell.slice(0, widths[c]! - 1)}…` : cell;
    return c >= 4 ? text.padStart(widths[c]!) : text.padEnd(widths[c]!);
  }).join('  ');
  writeLine(io.stdout, title);
  writeLine(io.stdout, line(header));
  for (const r of rows) writeLine(io.stdout, line(r));
  writeLine(io.stdout, `match weight ${num(w.weight)} → probability ${w.probability.toPrecision(4)}: ${decision} (match threshold ${num(matchWeight)}, p ${probabilityFromWeight(matchWeight).toPrecision(3)})`);
  writeLine(io.stdout, w.blockedBy.length > 0 ? `candidate pair through blocking rule ${w.blockedBy.join('; ')}` : 'not a candidate pair: no blocking rule puts these two together, so a run never scores them');
}
