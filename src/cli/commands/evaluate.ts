import { secretFromEnvironment } from '../../config/env.js';
import { loadSettings } from '../../config/load-settings.js';
import { evaluateSettings } from '../../evaluate/run-evaluation.js';
import { createThreadPool } from '../../score/thread-pool.js';
import { writeLine, type CommandIo } from '../io.js';

export interface EvaluateOptions {
  config: string;
  truthColumn: string;
  truthRegex?: string;
  json?: boolean;
  threads?: number;
}

/** Prints pairwise precision, recall, F1 and blocking recall; with --json the last line is JSON. */
export async function evaluateCommand(options: EvaluateOptions, io: CommandIo): Promise<number> {
  const started = performance.now();
  const settings = await loadSettings(options.config);
  const pool = createThreadPool(options.threads ?? 0);
  try {
    const report = await evaluateSettings(settings, {
      truthColumn: options.truthColumn, truthRegex: options.truthRegex, runner: pool, secrets: secretFromEnvironment,
    });
    const f = (x: number) => x.toFixed(4);
    if (!options.json) {
      writeLine(io.stdout, `${settings.name}: ${report.records} records (${report.skipped} skipped), ${report.candidatePairs} candidate pairs`);
      writeLine(io.stdout, `  blocking recall ${f(report.blockingRecall)}`);
      writeLine(io.stdout, `  pairs     precision ${f(report.precision)}  recall ${f(report.recall)}  F1 ${f(report.f1)}  (TP ${report.confusion.truePositives}, FP ${report.confusion.falsePositives}, FN ${report.confusion.falseNegatives})`);
      writeLine(io.stdout, `  clusters  precision ${f(report.clusters.precision)}  recall ${f(report.clusters.recall)}  F1 ${f(report.clusters.f1)}  (${report.clusters.count} clusters)`);
      writeLine(io.stdout, `  model: prior ${report.model.prior.toPrecision(3)}, ${report.model.iterations} EM iterations${report.model.converged ? '' : ' (not converged)'}`);
      writeLine(io.stdout, `  time: ${Object.entries(report.timingsMs).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
    }
    if (options.json) writeLine(io.stdout, JSON.stringify({
      precision: report.precision, recall: report.recall, f1: report.f1, candidatePairs: report.candidatePairs,
      blockingRecall: report.blockingRecall, confusion: report.confusion,
      clusters: { precision: report.clusters.precision, recall: report.clusters.recall, f1: report.clusters.f1, count: report.clusters.count },
      records: report.records, durationMs: Math.round(performance.now() - started),
    }));
    return 0;
  } finally {
    await pool.destroy();
  }
}
