import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import { stageHandlers } from '../../../jobs/index.js';
import { createLogger, type Logger } from '../../logger.js';
import { importSettings, loadImportConfig } from '../../config/import-config.js';
import { importState, listImports, loadReconciliationReport, type ImportState } from '../../imports/load-report.js';
import { latestMasterRun } from '../../imports/master-snapshot.js';
import { reconciliationCsv } from '../../reconcile/report-csv.js';
import { reconciliationHtml } from '../../reconcile/report-html.js';
import { rollbackImport } from '../../imports/rollback-import.js';
import { ITEM_STATUSES, type ReconciliationReport } from '../../reconcile/types.js';
import { enqueueImport, enqueueImportCommit } from '../../queue/enqueue-import.js';
import { startWorkers } from '../../queue/start-workers.js';
import type { Services } from '../../services.js';
import { withServices } from '../with-services.js';
import { writeLine, type CommandIo } from '../io.js';

export interface ImportOptions {
  config: string;
  commit?: boolean;
  /** Folder for the CSV and HTML report (default .goldrun/imports/<id>). */
  out?: string;
  json?: boolean;
  worker?: boolean;
  timeoutSeconds?: number;
}

const DONE = new Set(['reconciled', 'committed', 'failed', 'rolled_back']);

/**
 * `goldrun import`: queues the import job, follows it, then writes the reconciliation as
 * CSV and HTML and prints its counts. Exit 0 when it reconciled (and committed, if asked).
 */
export async function importCommand(options: ImportOptions, io: CommandIo): Promise<number> {
  const config = await loadImportConfig(options.config);
  return withServices(io, async (services) => {
    // Fail here, not in a worker, on a mapping the master cannot take or a master never run.
    importSettings((await latestMasterRun(services.database.sql, config.master)).settings, config, options.config);
    const inProcess = options.worker ?? services.database.embedded;
    const workers = inProcess ? startWorkers(services.queues, services.ctx, stageHandlers) : null;
    try {
      const id = await enqueueImport(services.queues, services.database, config, options.commit ?? false);
      writeLine(io.stderr, `import ${id} (${config.name}: ${config.source.name} into ${config.master}${options.commit ? ', commit' : ', dry run'}) queued on ${services.queues.description}`);
      return await finish(services, id, options, io);
    } finally {
      await workers?.close();
    }
  }, commandLogger(io));
}

/** `goldrun import commit ID`: brings a reconciled dry run into the master, then reports as `import` does. */
export async function importCommitCommand(id: string, options: Omit<ImportOptions, 'config' | 'commit'>, io: CommandIo): Promise<number> {
  return withServices(io, async (services) => {
    const inProcess = options.worker ?? services.database.embedded;
    const workers = inProcess ? startWorkers(services.queues, services.ctx, stageHandlers) : null;
    try {
      await enqueueImportCommit(services.queues, services.database, id);
      writeLine(io.stderr, `import ${id}: commit queued on ${services.queues.description}`);
      return await finish(services, id, { ...options, commit: true }, io);
    } finally {
      await workers?.close();
    }
  }, commandLogger(io));
}

async function finish(services: Services, id: string, options: Omit<ImportOptions, 'config'>, io: CommandIo): Promise<number> {
  const state = await follow(services, id, io, options.timeoutSeconds);
  const reconciled = state.status === 'reconciled' || state.status === 'committed';
  const failed = !reconciled || (options.commit === true && state.status !== 'committed');
  if (failed) writeLine(io.stderr, `import ${id} ${options.commit && reconciled ? 'was reconciled but not committed' : state.status}${state.error ? `: ${state.error}` : ''}`);
  if (!reconciled) {
    if (options.json) writeLine(io.stdout, JSON.stringify({ id, status: state.status, error: state.error }));
    return 1;
  }
  const report = await loadReconciliationReport(services.database.sql, id);
  const files = await writeReports(report, options.out ?? join(io.env.dataDir, 'imports', id));
  writeLine(io.stdout, formatReport(report, files));
  if (options.json) writeLine(io.stdout, JSON.stringify({ id, status: state.status, error: state.error, counts: report.counts, coverage: report.coverage, files }));
  return failed ? 1 : 0;
}

export async function importRollbackCommand(id: string, io: CommandIo): Promise<number> {
  return withServices(io, async (services) => {
    const done = await rollbackImport(services.database, id);
    writeLine(io.stdout, `import ${id} rolled back: ${done.sourceRecords} source records removed, ${done.goldenRestored} golden records restored, ${done.goldenRemoved} removed`);
    return 0;
  }, commandLogger(io));
}

export async function importReportCommand(id: string, options: { out?: string }, io: CommandIo): Promise<number> {
  return withServices(io, async (services) => {
    const report = await loadReconciliationReport(services.database.sql, id);
    writeLine(io.stdout, formatReport(report, await writeReports(report, options.out ?? join(io.env.dataDir, 'imports', id))));
    return 0;
  }, commandLogger(io));
}

export async function importListCommand(io: CommandIo): Promise<number> {
  return withServices(io, async (services) => {
    const list = await listImports(services.database.sql);
    if (list.length === 0) writeLine(io.stdout, 'no imports yet');
    for (const s of list) writeLine(io.stdout, `${s.id}  ${s.status.padEnd(11)} ${s.name} (${s.source} into ${s.deployment})  ${s.createdAt}${s.error ? `  ${s.error}` : ''}`);
    return 0;
  }, commandLogger(io));
}

/** Like `run`, quiet on a terminal (the bar shows progress) and logging in full elsewhere. */
function commandLogger(io: CommandIo): Logger {
  return createLogger({ level: io.stderr.isTTY && !io.env.logLevelExplicit ? 'warn' : io.env.logLevel });
}

/** Polls the import's row: progress lives in Postgres, wherever the job runs. */
async function follow(services: Services, id: string, io: CommandIo, timeoutSeconds?: number): Promise<ImportState> {
  const deadline = timeoutSeconds ? Date.now() + timeoutSeconds * 1000 : Infinity;
  const bar = io.stderr.isTTY ? new cliProgress.SingleBar({ stream: io.stderr, format: ' import |{bar}| {percentage}% {status}', barsize: 30, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  bar?.start(100, 0, { status: 'queued' });
  let last = '';
  try {
    for (;;) {
      const state = (await importState(services.database.sql, id))!;
      const finished = DONE.has(state.status) && !(state.status === 'reconciled' && state.commitRequested);
      bar?.update(Math.round((finished ? 1 : state.progress) * 100), { status: state.status });
      if (!bar && state.status !== last) writeLine(io.stderr, `import ${id} ${state.status}`);
      last = state.status;
      if (finished || Date.now() > deadline) return state;
      await sleep(300);
    }
  } finally {
    bar?.stop();
  }
}

async function writeReports(report: ReconciliationReport, dir: string): Promise<{ csv: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const files = { csv: resolve(dir, 'reconciliation.csv'), html: resolve(dir, 'reconciliation.html') };
  await writeFile(files.csv, reconciliationCsv(report));
  await writeFile(files.html, reconciliationHtml(report));
  return files;
}

function formatReport(report: ReconciliationReport, files: { csv: string; html: string }): string {
  const c = report.counts;
  const lines = [`import ${report.id}: ${report.name}, ${report.source} against ${report.deployment} (${report.state.replace('_', ' ')})`];
  for (const s of ITEM_STATUSES) lines.push(`  ${s.padEnd(13)} ${String(c.byStatus[s]).padStart(8)}  ${(c.shares[s] * 100).toFixed(1).padStart(5)}%`);
  lines.push(`  ${'total'.padEnd(13)} ${String(c.total).padStart(8)}`);
  lines.push(`  customers of both companies: ${c.overlapGoldenRecords} golden records; matched with conflicting values: ${c.withConflicts}`);
  const poor = report.coverage.filter((a) => a.verdict !== 'good').map((a) => `${a.attribute} (${a.verdict}${a.mapped ? `, ${(a.fillRate * 100).toFixed(0)}%` : ''})`);
  if (poor.length > 0) lines.push(`  attributes missing or poorly filled: ${poor.join(', ')}`);
  lines.push(`  report: ${files.html}`, `  csv:    ${files.csv}`);
  return lines.join('\n');
}
