import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { openDatabase, type Sql } from '../src/db/client.js';
import { writeDataset, type Manifest } from '../src/generate/dataset.js';
import { packageRoot } from '../src/package-root.js';
import { PeakMemory, startGoldrun } from './processes.js';
import { goldenQuality } from './quality.js';
import { measureScoringSpeedup } from './scoring-speedup.js';
import { adminDatabase } from './database.js';
import { changeRecords, restoreFiles } from './change-records.js';
import { loadSettings } from '../src/config/load-settings.js';
import { benchArgs, reportBenchFailure, UsageError } from './args.js';
import { CpuUse } from './cpu-use.js';
import { cpuByStage, type StageCpu, type StageWindow } from './stage-cpu.js';

/**
 * The end-to-end benchmark: generated systems → the full pipeline through BullMQ workers on the
 * local Postgres and Redis → figures (see USAGE). `--records` counts source records; the
 * generator is asked for as many customers as give that many records at the duplicate rate.
 */
const USAGE = `Usage: npm run bench -- --records N [options]
  --records N         source records to generate and run (default 100000)
  --threads T         scoring threads per worker, 0 for one per core (default 0)
  --workers W         goldrun worker processes sharing the run (default 1)
  --systems K         source systems generated (default 4)
  --seed S            generator seed (default 1)
  --dup-rate R        duplicates per customer (default 0.25)
  --data DIR          generated data to use (default .goldrun/bench/<customers>-<systems>-<seed>-<dup-rate>)
  --incremental P     after the full run, change this share of records (e.g. 0.01) and time an incremental run
  --skip-speedup      do not measure scoring with 1 and 2 threads
  --cpu               per stage, the core-seconds goldrun and Postgres used and the cores left idle (Linux)
  --keep              keep the goldrun_bench database afterwards
The table goes to stderr; the last line of stdout is JSON.`;

async function main(): Promise<void> {
  const values = benchArgs(USAGE, {
    records: { type: 'string', default: '100000' },
    threads: { type: 'string', default: '0' },
    workers: { type: 'string', default: '1' },
    systems: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    'dup-rate': { type: 'string', default: '0.25' },
    data: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'skip-speedup': { type: 'boolean', default: false },
    cpu: { type: 'boolean', default: false },
    /** After the full run, change this share of records (e.g. 0.01) and time a second, incremental run. */
    incremental: { type: 'string' },
  }, ['records', 'threads', 'workers', 'systems', 'seed', 'dup-rate', 'incremental']);
  if (!values) return;
  // No worker would take the run's jobs, and the bench would wait for them forever.
  if (!Number.isInteger(Number(values.workers)) || Number(values.workers) < 1) throw new UsageError(`--workers must be a whole number of 1 or more, not "${values.workers}"`);
  const records = Number(values.records);
  const dupRate = Number(values['dup-rate']);
  const customers = Math.round(records / (1 + dupRate + 0.001));
  const seed = Number(values.seed);
  const systems = Number(values.systems);
  const dir = resolve(values.data ?? join(packageRoot(), '.goldrun', 'bench', `${customers}-${systems}-${seed}-${dupRate}`));

  const generated = performance.now();
  const manifest = await reuseOrGenerate(dir, { records: customers, systems, out: dir, seed, dupRate });
  const generateMs = Math.round(performance.now() - generated);
  log(`data: ${manifest.records} records of ${manifest.customers} customers in ${dir} (${generateMs} ms)`);
  // A bench stopped during its incremental run (Ctrl-C runs no finally) left the changed files in place.
  const settings = await loadSettings(join(dir, 'settings.yaml'));
  const restored = await restoreFiles(settings);
  if (restored > 0) log(`put back ${restored} source file${restored === 1 ? '' : 's'} an interrupted --incremental run had changed`);

  const database = await adminDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', 'goldrun_bench');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `goldrun_bench_${process.pid}`;
  const env = { ...process.env, DATABASE_URL: database.url, REDIS_URL: redisUrl, GOLDRUN_QUEUE_PREFIX: prefix, GOLDRUN_LOG_LEVEL: 'warn' };
  const memory = new PeakMemory();
  const workers: ReturnType<typeof startGoldrun>[] = [];
  try {
    const migrate = startGoldrun(['migrate'], env);
    if ((await migrate.done) !== 0) throw new Error(`goldrun migrate failed:\n${migrate.output()}`);
    for (let w = 0; w < Number(values.workers); w++) {
      workers.push(startGoldrun(['worker', '--threads', values.threads!], { ...env, GOLDRUN_LOG_LEVEL: 'info' }, 'worker ready'));
    }
    await Promise.all(workers.map((w) => w.ready));
    const started = performance.now();
    const goldrunRun = async () => {
      const started = performance.now();
      const run = startGoldrun(['run', '--config', join(dir, 'settings.yaml'), '--json', '--no-worker'], env);
      const code = await run.done;
      const wallMs = Math.round(performance.now() - started);
      return { wallMs, summary: runSummary(run.output(), code) };
    };
    // Changes a share of the records, runs again, and reports what the second run took and touched.
    const incrementalRun = async (share: number, fullWallMs: number) => {
      try {
        const changedRecords = await changeRecords(settings, share);
        log(`changed ${changedRecords} records; running again`);
        const { wallMs, summary } = await goldrunRun();
        const db = await openDatabase({ url: database.url, max: 1 });
        try {
          const [row] = await db.sql<{ versions: number }[]>`select count(*)::int as versions from golden_history where run_id = ${summary.runId}`;
          return {
            changedRecords, wallMs, ratioToFullRun: round(wallMs / fullWallMs), stagesMs: summary.stages,
            goldenRecords: summary.goldenRecords, versionsWritten: row!.versions,
          };
        } finally {
          await db.close();
        }
      } finally {
        await restoreFiles(settings);
      }
    };
    const run = startGoldrun(['run', '--config', join(dir, 'settings.yaml'), '--json', '--no-worker'], env);
    const goldrunPids = () => [run.child.pid, ...workers.map((w) => w.child.pid)];
    memory.watch(goldrunPids);
    const cpu = values.cpu ? new CpuUse(goldrunPids) : null;
    cpu?.watch();
    const code = await run.done;
    const wallMs = Math.round(performance.now() - started);
    cpu?.stop();
    memory.sample([...workers.map((w) => w.child.pid)]);
    memory.stop();
    const summary = runSummary(run.output(), code);

    const db = await openDatabase({ url: database.url, max: 4 });
    try {
      const quality = await goldenQuality(db.sql, 'generated', manifest.truthColumn);
      const speedup = values['skip-speedup'] ? null : await measureScoringSpeedup(db, summary.runId);
      const scoreMs = summary.stages.score ?? 0;
      const result = {
        records: manifest.records,
        customers: manifest.customers,
        wallMs,
        peakRssMb: memory.largestMb(),
        stagesMs: summary.stages,
        candidatePairs: summary.candidatePairs,
        pairsPerSecond: scoreMs > 0 ? Math.round(summary.candidatePairs / (scoreMs / 1000)) : null,
        matchedPairs: summary.matchedPairs,
        goldenRecords: summary.goldenRecords.total,
        precision: round(quality.precision),
        recall: round(quality.recall),
        f1: round(quality.f1),
        scoring: speedup,
        workers: workers.length,
        threads: Number(values.threads) || 'one per core',
        generateMs,
        cpuByStage: cpu ? cpuByStage(cpu.samples, await stageWindows(db.sql, summary.runId), availableParallelism()) : undefined,
        incremental: values.incremental === undefined ? undefined : await incrementalRun(Number(values.incremental), wallMs),
      };
      printTable(result);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } finally {
      await db.close();
    }
  } finally {
    memory.stop();
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.done));
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    if (!values.keep) await database.drop();
  }
}

/** The run's stages as they ran, from run_stages. */
async function stageWindows(sql: Sql, runId: string) {
  return sql<StageWindow[]>`
    select stage, extract(epoch from started_at)::float8 * 1000 as "startMs", extract(epoch from finished_at)::float8 * 1000 as "endMs"
    from run_stages where run_id = ${runId} and started_at is not null and finished_at is not null order by started_at`;
}

/** The last line of `goldrun run --json`; anything else is the run failing, shown whole. */
function runSummary(output: string, code: number | null): RunJson {
  const lines = output.trim().split('\n');
  let summary: RunJson;
  try {
    summary = JSON.parse(lines[lines.length - 1]!) as RunJson;
  } catch {
    throw new Error(`the run failed (exit ${code}): ${output.slice(-2000)}`);
  }
  if (code !== 0 || summary.status !== 'completed') throw new Error(`the run failed: ${summary.error ?? output.slice(-2000)}`);
  return summary;
}

interface RunJson {
  runId: string;
  status: string;
  candidatePairs: number;
  matchedPairs: number;
  goldenRecords: { total: number; created: number; updated: number; unchanged: number; retired: number };
  stages: Record<string, number>;
  error: string | null;
}

async function reuseOrGenerate(dir: string, options: Parameters<typeof writeDataset>[0]): Promise<Manifest> {
  const file = join(dir, 'manifest.json');
  if (existsSync(file)) {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (manifest.customers === options.records && manifest.seed === options.seed) return manifest;
  }
  return writeDataset(options);
}

function printTable(result: Record<string, unknown>): void {
  const stages = result.stagesMs as Record<string, number>;
  const rows: Array<[string, string]> = [
    ['records', String(result.records)],
    ['wall', `${result.wallMs} ms`],
    ...Object.entries(stages).map(([stage, ms]): [string, string] => [`  ${stage}`, `${ms} ms`]),
    ['peak RSS (largest process)', `${result.peakRssMb} MiB`],
    ['candidate pairs', String(result.candidatePairs)],
    ['pairs per second (score stage)', String(result.pairsPerSecond)],
    ['precision / recall / F1', `${result.precision} / ${result.recall} / ${result.f1}`],
  ];
  const scoring = result.scoring as { msByThreads: Record<string, number>; speedup: number; passes: number } | null;
  if (scoring) rows.push([`scoring ×${scoring.passes}, 1 thread / 2 threads`, `${scoring.msByThreads[1]} / ${scoring.msByThreads[2]} ms (×${scoring.speedup})`]);
  const cpu = result.cpuByStage as StageCpu[] | undefined;
  if (cpu) {
    rows.push(['core-seconds by stage', 'seconds / goldrun / postgres / other / idle / steal']);
    for (const c of cpu) rows.push([`  ${c.stage}`, `${c.seconds} / ${c.goldrun} / ${c.postgres} / ${c.other} / ${c.idle} / ${c.steal}`]);
  }
  const incremental = result.incremental as { changedRecords: number; wallMs: number; ratioToFullRun: number; stagesMs: Record<string, number>; versionsWritten: number } | undefined;
  if (incremental) {
    rows.push([`incremental run, ${incremental.changedRecords} records changed`, `${incremental.wallMs} ms (${Math.round(incremental.ratioToFullRun * 100)}% of the full run)`]);
    rows.push(...Object.entries(incremental.stagesMs).map(([stage, ms]): [string, string] => [`  ${stage}`, `${ms} ms`]));
    rows.push(['  golden versions written', String(incremental.versionsWritten)]);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) log(`${k.padEnd(width)}  ${v}`);
}

const round = (x: number) => Math.round(x * 100_000) / 100_000;

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

main().catch((err) => reportBenchFailure('bench', USAGE, err));
