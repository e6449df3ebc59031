import { writeFile } from 'node:fs/promises';
import { secretFromEnvironment } from '../../config/env.js';
import { loadSettings } from '../../config/load-settings.js';
import { renderEvaluationReport } from '../../evaluate/report-html.js';
import { evaluateSettings, type EvaluationReport } from '../../evaluate/run-evaluation.js';
import { levelWeights } from '../../score/fellegi-sunter.js';
import { modelFile } from '../../score/model-file.js';
import { createThreadPool } from '../../score/thread-pool.js';
import { writeLine, type CommandIo } from '../io.js';

export interface EvaluateOptions {
  config: string;
  truthColumn: string;
  truthRegex?: string;
  json?: boolean;
  threads?: number;
  /** Write a self-contained HTML report here. */
  report?: string;
  /** Save the model here, to pin it in settings (`model.file`). */
  saveModel?: string;
}

/** Prints pairwise precision, recall, F1 and blocking recall; with --json the last line is JSON. */
export async function evaluateCommand(options: EvaluateOptions, io: CommandIo): Promise<number> {
  const started = performance.now();
  const settings = await loadSettings(options.config);
  const pool = createThreadPool(options.threads ?? 0);
  try {
    const report = await evaluateSettings(settings, {
      truthColumn: options.truthColumn, truthRegex: options.truthRegex, runner: pool, secrets: secretFromEnvironment,
      keepAllPairs: options.report !== undefined,
    });
    if (options.saveModel) {
      await writeFile(options.saveModel, `${JSON.stringify(modelFile(settings.name, 'evaluate', report.model.params), null, 2)}\n`);
    }
    if (options.report) await writeFile(options.report, htmlReport(settings.name, report));
    if (!options.json) printReport(settings.name, report, io);
    if (options.report && !options.json) writeLine(io.stdout, `  report: ${options.report}`);
    if (options.json) writeLine(io.stdout, JSON.stringify({
      precision: report.precision, recall: report.recall, f1: report.f1, candidatePairs: report.candidatePairs,
      blockingRecall: report.blockingRecall, confusion: report.confusion,
      clusters: { precision: report.clusters.precision, recall: report.clusters.recall, f1: report.clusters.f1, count: report.clusters.count },
      records: report.records, truePairs: report.truePairs,
      model: { method: report.model.method, prior: report.model.params.prior, iterations: report.model.iterations, converged: report.model.converged },
      timingsMs: report.timingsMs, durationMs: Math.round(performance.now() - started),
    }));
    return 0;
  } finally {
    await pool.destroy();
  }
}

const f = (x: number) => x.toFixed(4);

function printReport(name: string, report: EvaluationReport, io: CommandIo): void {
  const { confusion: c, model } = report;
  writeLine(io.stdout, `${name}: ${report.records} records (${report.skipped} skipped), ${report.candidatePairs} candidate pairs, ${report.truePairs} true pairs`);
  writeLine(io.stdout, `  blocking recall ${f(report.blockingRecall)}`);
  writeLine(io.stdout, `  pairs     precision ${f(report.precision)}  recall ${f(report.recall)}  F1 ${f(report.f1)}`);
  writeLine(io.stdout, `            true positives ${c.truePositives}, false positives ${c.falsePositives}, false negatives ${c.falseNegatives}`);
  writeLine(io.stdout, `  clusters  precision ${f(report.clusters.precision)}  recall ${f(report.clusters.recall)}  F1 ${f(report.clusters.f1)}  (${report.clusters.count} clusters)`);
  const how = model.method === 'file' ? 'from model.file' : `${model.method}, ${model.iterations} EM iterations${model.converged ? '' : ' (not converged)'}`;
  writeLine(io.stdout, `  model: prior ${model.params.prior.toPrecision(3)} (${how})`);
  for (const s of model.sessions) {
    writeLine(io.stdout, `    session on ${s.rule}: ${s.pairs} pairs, ${s.iterations} iterations${s.converged ? '' : ' (not converged)'}${s.fixed.length ? `, leaving out ${s.fixed.join(', ')}` : ''}`);
  }
  writeLine(io.stdout, `  time: ${Object.entries(report.timingsMs).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
}

function htmlReport(name: string, report: EvaluationReport): string {
  const weights = levelWeights(report.model.params);
  return renderEvaluationReport({
    title: `goldrun evaluate: ${name}`,
    generatedAt: new Date().toISOString(),
    summary: {
      records: report.records, 'candidate pairs': report.candidatePairs, 'true pairs': report.truePairs,
      'blocking recall': f(report.blockingRecall), precision: f(report.precision), recall: f(report.recall), F1: f(report.f1),
      'cluster F1': f(report.clusters.f1), prior: report.model.params.prior.toPrecision(3), training: report.model.method,
    },
    confusion: report.confusion,
    weights: report.pairs!.weight,
    isMatch: report.pairs!.isMatch,
    totalTruePairs: report.truePairs,
    matchWeight: report.matchWeight,
    reviewWeight: report.reviewWeight,
    model: report.model.params.comparisons.map((c, k) => ({
      label: c.label,
      levels: c.levels.map((l, v) => ({ label: l.label, m: l.m, u: l.u, weight: weights[k]![v]! })),
    })),
  });
}
