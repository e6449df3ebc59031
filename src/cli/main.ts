import { Command, InvalidArgumentError } from 'commander';
import { readEnvironment } from '../config/env.js';
import { GoldrunError, SettingsError } from '../errors.js';
import type { CommandIo } from './io.js';

/**
 * The CLI only turns arguments into options and calls the commands; the commands call
 * library functions. Exit codes: 0 done, 1 the run or command failed, 2 bad usage.
 *
 * Each command's module is imported when the command runs: loading all of them (the board's
 * server, imports, evaluation, the pipeline) took 0.8 s before any command started.
 */
export async function main(argv: string[], io: CommandIo = { env: readEnvironment(), stdout: process.stdout, stderr: process.stderr }): Promise<void> {
  const program = new Command('goldrun')
    .description('Batch master data management: pull customer records from every system, match them, keep golden records in Postgres.')
    .showHelpAfterError()
    .exitOverride();
  const exit = (code: number) => {
    process.exitCode = code;
  };

  program.command('migrate').description('create or update goldrun\'s tables (and BullMQ\'s, when queues live in Postgres)')
    .action(async () => exit(await (await import('./commands/migrate.js')).migrateCommand(io)));

  program.command('run').description('queue a run, follow it with a progress bar, print a summary')
    .requiredOption('-c, --config <file>', 'settings file (YAML or JSON)')
    .option('--json', 'make the last line of output a JSON summary')
    .option('--worker', 'also run the stages in this process (default when the database is embedded)')
    .option('--no-worker', 'only queue and follow; `goldrun worker` processes run the stages')
    .option('--threads <n>', 'scoring threads for in-process stages (default: one per core)', integer)
    .option('--timeout <seconds>', 'stop following after this long', integer)
    .option('--full', 'score every record again, not only those changed since the last completed run')
    .action(async (o) => exit(await (await import('./commands/run.js')).runCommand({ config: o.config, json: o.json, worker: o.worker, threads: o.threads, timeoutSeconds: o.timeout, full: o.full }, io)));

  program.command('worker').description('process runs until SIGTERM; start several, on several machines, for more throughput')
    .option('--threads <n>', 'scoring threads (default: one per core)', integer)
    .option('--pull-concurrency <n>', 'sources pulled at once', integer)
    .option('--lock-ms <ms>', 'job lock: a killed worker\'s job is taken over this long after it died (default 60000)', integer)
    .action(async (o) => exit(await (await import('./commands/worker.js')).workerCommand({ threads: o.threads, pullConcurrency: o.pullConcurrency, lockMs: o.lockMs }, io)));

  program.command('schedule').description('store the settings and run them on a cron schedule (a BullMQ job scheduler)')
    .requiredOption('-c, --config <file>', 'settings file')
    .option('--cron <pattern>', 'cron pattern, e.g. "0 2 * * *" (a sixth, leading field counts seconds)')
    .option('--tz <zone>', 'time zone of the pattern, e.g. Europe/Berlin')
    .option('--remove', 'remove the deployment\'s schedule')
    .action(async (o) => exit(await (await import('./commands/schedule.js')).scheduleCommand({ config: o.config, cron: o.cron, tz: o.tz, remove: o.remove }, io)));

  program.command('schedules').description('list schedules and their next run')
    .action(async () => exit(await (await import('./commands/schedule.js')).schedulesCommand(io)));

  program.command('resume').description('retry the failed stages of a failed run (completed stages are kept) and follow it to the end')
    .argument('<run>', 'run id, as `goldrun run` and the board show it')
    .option('--no-follow', 'only retry; do not wait for the run')
    .action(async (run, o) => exit(await (await import('./commands/resume.js')).resumeCommand(run, { follow: o.follow }, io)));

  program.command('export').description('write the current golden records, or the cross-reference (source_system,source_id,golden_id,status), to standard output')
    .argument('<what>', 'golden or xref', choice(['golden', 'xref']))
    .option('--format <format>', 'csv or jsonl', choice(['csv', 'jsonl']), 'csv')
    .option('--deployment <name>', 'which deployment (settings name), when the database holds several')
    .option('--all', 'golden: retired records too, with the id each merged into')
    .action(async (what, o) => exit(await (await import('./commands/export.js')).exportCommand({ what, format: o.format, deployment: o.deployment, all: o.all }, io)));

  const review = program.command('review').description('possible matches waiting for a person: list them, decide them, split a golden record by hand')
    .option('--deployment <name>', 'which deployment, when the database holds several')
    .option('--limit <n>', 'how many', positiveInteger, 50)
    .option('--json', 'one JSON line per task')
    .action(async (o) => exit(await (await import('./commands/review.js')).reviewListCommand({ deployment: o.deployment, limit: o.limit, json: o.json }, io)));
  const decide = review.command('decide').description('decide whether two records are the same customer; every later run honours it')
    .argument('<left>', 'a record, as source:id').argument('<right>', 'the other record, as source:id')
    .option('--same', 'the same customer (they will be linked)')
    .option('--different', 'different customers (they will never be linked)')
    .option('--deployment <name>', 'which deployment, when the database holds several')
    .option('--by <name>', 'who decides (default: the login name)')
    .option('--note <text>', 'why')
    .action(async (left, right, o) => {
      if (Boolean(o.same) === Boolean(o.different)) decide.error('error: give --same or --different', { exitCode: 2 });
      exit(await (await import('./commands/review.js')).reviewDecideCommand(left, right, { decision: o.same ? 'same' : 'different', deployment: o.deployment, by: o.by, note: o.note }, io));
    });
  review.command('split').description('take records out of a golden record: they become their own customer from the next run on')
    .argument('<golden>', 'golden id').argument('<records...>', 'the records that leave, as source:id')
    .option('--by <name>', 'who decides (default: the login name)')
    .option('--note <text>', 'why')
    .action(async (golden, records, o) => exit(await (await import('./commands/review.js')).reviewSplitCommand(golden, records, { by: o.by, note: o.note }, io)));

  program.command('history').description('how a golden record changed and why (versions, values with their sources, merges and splits), or what a run did to golden ids')
    .option('--golden <id>', 'golden id, as xref and exports show it; a retired id shows its successor')
    .option('--run <id>', 'the ids a run minted, split, merged and retired')
    .option('--json', 'JSON instead of text')
    .action(async (o) => exit(await (await import('./commands/history.js')).historyCommand({ golden: o.golden, run: o.run, json: o.json }, io)));

  const board = program.command('board').description('serve the queue board and run pages (login required) with Prometheus metrics at /metrics')
    .option('-p, --port <port>', 'port', integer, 3100)
    .option('--host <host>', 'interface to listen on (0.0.0.0 for every one)', '127.0.0.1')
    .option('--users <file>', 'YAML users file: users: [{name, role: viewer|operator, passwordHash}] (or set GOLDRUN_BOARD_USERS)')
    .action(async (o) => exit(await (await import('./commands/board.js')).boardCommand({ port: o.port, host: o.host, users: o.users }, io)));
  board.command('hash-password').description('read a password from standard input and print its hash for a board user')
    .action(async () => exit(await (await import('./commands/board.js')).hashPasswordCommand(io)));

  const imports = program.command('import').description('reconcile an acquired company\'s customers against the master (a dry run), or bring them in with --commit')
    .option('-c, --config <file>', 'import config (YAML): the master deployment and the acquired source with its mapping')
    .option('--commit', 'bring the acquired records into the master (undo with `goldrun import rollback ID`)')
    .option('--out <dir>', 'folder for reconciliation.csv and reconciliation.html (default .goldrun/imports/<id>)')
    .option('--json', 'make the last line of output a JSON summary')
    .option('--worker', 'also process the import in this process (default when the database is embedded)')
    .option('--no-worker', 'only queue and follow; `goldrun worker` processes do the work')
    .option('--timeout <seconds>', 'stop following after this long', integer)
    .action(async (o) => {
      if (!o.config) imports.error('error: required option \'-c, --config <file>\' not specified', { exitCode: 2 });
      exit(await (await import('./commands/import.js')).importCommand({ config: o.config, commit: o.commit, out: o.out, json: o.json, worker: o.worker, timeoutSeconds: o.timeout }, io));
    });
  imports.command('commit').description('bring an import reconciled as a dry run into the master, as its reconciliation decided')
    .argument('<id>', 'import id, as `goldrun import` printed it')
    .option('--out <dir>', 'folder for the reports (default .goldrun/imports/<id>)')
    .option('--json', 'make the last line of output a JSON summary')
    .option('--worker', 'also process the import in this process (default when the database is embedded)')
    .option('--no-worker', 'only queue and follow')
    .option('--timeout <seconds>', 'stop following after this long', integer)
    .action(async (id, _o, cmd: Command) => {
      // `import` has the same options, and commander gives them to it: read both.
      const o = cmd.optsWithGlobals();
      exit(await (await import('./commands/import.js')).importCommitCommand(id, { out: o.out, json: o.json, worker: o.worker, timeoutSeconds: o.timeout }, io));
    });
  imports.command('rollback').description('take a committed import back out of the master, leaving it exactly as it was before')
    .argument('<id>', 'import id, as `goldrun import` printed it')
    .action(async (id) => exit(await (await import('./commands/import.js')).importRollbackCommand(id, io)));
  imports.command('report').description('write an import\'s reconciliation again as CSV and HTML')
    .argument('<id>', 'import id')
    .option('--out <dir>', 'folder (default .goldrun/imports/<id>)')
    .action(async (id, _o, cmd: Command) => exit(await (await import('./commands/import.js')).importReportCommand(id, { out: cmd.optsWithGlobals().out }, io)));
  imports.command('list').description('recent imports and their state')
    .action(async () => exit(await (await import('./commands/import.js')).importListCommand(io)));

  program.command('evaluate').description('match in memory and score against a column holding the true entity')
    .requiredOption('-c, --config <file>', 'settings file')
    .requiredOption('--truth-column <column>', 'column holding the true entity id (used only to score)')
    .option('--truth-regex <regex>', 'the first capture group extracts the entity id from the truth column')
    .option('--json', 'make the last line JSON')
    .option('--threads <n>', 'scoring threads (default: one per core)', integer)
    .option('--report <file>', 'write an HTML report: match-weight histogram, precision and recall against threshold')
    .option('--save-model <file>', 'save the trained model, to pin it with model.file in settings')
    .action(async (o) => exit(await (await import('./commands/evaluate.js')).evaluateCommand({
      config: o.config, truthColumn: o.truthColumn, truthRegex: o.truthRegex, json: o.json, threads: o.threads, report: o.report, saveModel: o.saveModel,
    }, io)));

  program.command('explain').description('show how the model scores one pair: each comparison, its level and weight, the running total')
    .requiredOption('-c, --config <file>', 'settings file')
    .requiredOption('--left <id>', 'one record, as source:id (or id when only one source holds it)')
    .requiredOption('--right <id>', 'the other record')
    .option('--model <file>', 'a saved model (from evaluate --save-model) instead of training now')
    .option('--json', 'print the waterfall as JSON')
    .option('--threads <n>', 'training threads (default: one per core)', integer)
    .action(async (o) => exit(await (await import('./commands/explain.js')).explainCommand({ config: o.config, left: o.left, right: o.right, model: o.model, json: o.json, threads: o.threads }, io)));

  program.command('demo').description('generate three small connected systems, match them, and show what happened')
    .option('--customers <n>', 'distinct customers to generate', integer, 300)
    .option('--seed <n>', 'random seed', integer, 7)
    .action(async (o) => exit(await (await import('./commands/demo.js')).demoCommand({ customers: o.customers, seed: o.seed }, io)));

  program.command('generate').description('write connected systems\' files for N customers (with duplicates, mistakes and the truth), settings to match them, and a manifest')
    .requiredOption('--records <n>', 'distinct customers', positiveInteger)
    .requiredOption('--systems <k>', 'connected systems, one file each (crm, billing, webshop, support, erp, crm_2, ...)', positiveInteger)
    .requiredOption('--out <dir>', 'output folder')
    .option('--seed <n>', 'random seed: the same arguments write the same bytes', integer, 1)
    .option('--dup-rate <r>', 'extra records per customer, on average', fraction, 0.25)
    .option('--acquired <n>', 'also write an acquired company\'s account file of N customers (acquired.csv) with its import config (acquisition.yaml)', positiveInteger)
    .option('--overlap <r>', 'with --acquired: share of them who are customers of the master too', fraction, 0.4)
    .option('--json', 'also print the manifest as a JSON line')
    .action(async (o) => exit(await (await import('./commands/generate.js')).generateCommand({
      records: o.records, systems: o.systems, out: o.out, seed: o.seed, dupRate: o.dupRate, json: o.json, acquired: o.acquired, overlap: o.acquired ? o.overlap : undefined,
    }, io)));

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err && typeof err === 'object' && 'code' in err && String((err as { code: string }).code).startsWith('commander.')) {
      const code = (err as { exitCode?: number }).exitCode ?? 2;
      process.exitCode = code === 0 ? 0 : 2;
      return;
    }
    reportError(err, io);
    process.exitCode = 1;
  }
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

function positiveInteger(value: string): number {
  const n = integer(value);
  if (n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function choice<T extends string>(allowed: readonly T[]) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of: ${allowed.join(', ')}`);
    return value as T;
  };
}

function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of at least 0');
  return n;
}

function reportError(err: unknown, io: CommandIo): void {
  if (err instanceof SettingsError) io.stderr.write(`goldrun: ${err.message}\n`);
  else if (err instanceof GoldrunError) io.stderr.write(`goldrun: ${err.message}\n`);
  else io.stderr.write(`goldrun: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
}
