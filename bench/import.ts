import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { openDatabase } from '../src/db/client.js';
import { acquisitionAccuracy } from '../src/evaluate/acquisition-accuracy.js';
import { writeAcquisition, type AcquisitionManifest } from '../src/generate/acquisition.js';
import { writeDataset } from '../src/generate/dataset.js';
import { loadReconciliationReport } from '../src/imports/load-report.js';
import { packageRoot } from '../src/package-root.js';
import { adminDatabase } from './database.js';
import { PeakMemory, startGoldrun } from './processes.js';
import { goldenIdsByTruth } from './quality.js';
import { benchArgs, reportBenchFailure } from './args.js';

/**
 * The acquisition-import benchmark: a generated master, run once, then an acquired file
 * reconciled against it `--runs` times as a dry run (wall time, the import process's peak
 * memory, accuracy against the generator's truth), then committed and rolled back, checking
 * the master is back to the byte (see USAGE).
 */
const USAGE = `Usage: npm run bench:import -- [options]
  --records N      master records (default 100000)
  --acquired N     acquired records (default 20000)
  --systems K      master source systems (default 3)
  --overlap R      share of acquired customers already in the master (default 0.4)
  --runs N         dry runs to time (default 3)
  --seed S         generator seed (default 1)
The table goes to stderr; the last line of stdout is JSON.`;

async function main(): Promise<void> {
  const values = benchArgs(USAGE, {
    records: { type: 'string', default: '100000' },
    acquired: { type: 'string', default: '20000' },
    systems: { type: 'string', default: '3' },
    overlap: { type: 'string', default: '0.4' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
  }, ['records', 'acquired', 'systems', 'overlap', 'runs', 'seed']);
  if (!values) return;
  const master = { records: Number(values.records), systems: Number(values.systems), seed: Number(values.seed) };
  const acquired = { records: Number(values.acquired), overlap: Number(values.overlap), seed: Number(values.seed) };
  const dir = resolve(join(packageRoot(), '.goldrun', 'bench', `import-${master.records}-${master.systems}-${acquired.records}-${acquired.overlap}-${master.seed}`));
  const manifest = await reuseOrGenerate(dir, master, acquired);

  const database = await adminDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', 'goldrun_bench_import');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `goldrun_bench_import_${process.pid}`;
  const env = { ...process.env, DATABASE_URL: database.url, REDIS_URL: redisUrl, GOLDRUN_QUEUE_PREFIX: prefix, GOLDRUN_LOG_LEVEL: 'warn' };
  const out = await mkdtemp(join(tmpdir(), 'goldrun-bench-import-'));
  let db: Awaited<ReturnType<typeof openDatabase>> | null = null;
  try {
    await cli(['migrate'], env);
    const masterMs = (await cli(['run', '--config', join(dir, 'settings.yaml'), '--worker', '--json'], env)).wallMs;
    log(`master: ${manifest.master.records} customers in ${manifest.master.systems} systems, run in ${masterMs} ms`);
    db = await openDatabase({ url: database.url, max: 2 });
    const sql = db.sql;
    const goldenOf = await goldenIdsByTruth(sql, 'true_customer_id');
    const dryRuns: Array<{ wallMs: number; peakRssMb: number; id: string }> = [];
    for (let k = 0; k < Number(values.runs); k++) {
      const run = await cli(['import', '--config', join(dir, manifest.config), '--worker', '--json', '--out', out], env, true);
      const summary = JSON.parse(run.lastLine) as { id: string };
      dryRuns.push({ wallMs: run.wallMs, peakRssMb: run.peakRssMb, id: summary.id });
      log(`dry run ${k + 1}: ${run.wallMs} ms, peak RSS ${run.peakRssMb} MiB`);
    }
    const last = dryRuns[dryRuns.length - 1]!;
    const report = await loadReconciliationReport(sql, last.id);
    const accuracy = acquisitionAccuracy(manifest.items, report.items, goldenOf);
    const fingerprint = async () => (await sql<{ f: string }[]>`
      select md5(coalesce((select string_agg(to_jsonb(g)::text, '' order by golden_id) from golden_records g), '')
        || coalesce((select string_agg(to_jsonb(x)::text, '' order by source, source_id) from xref x), '')
        || coalesce((select string_agg(to_jsonb(v)::text, '' order by golden_id, version) from golden_history v), '')) as f`)[0]!.f;
    const before = await fingerprint();
    const commit = await cli(['import', 'commit', last.id, '--worker', '--json', '--out', out], env);
    const started = performance.now();
    await cli(['import', 'rollback', last.id], env);
    const rollbackMs = Math.round(performance.now() - started);
    const restored = (await fingerprint()) === before;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const result = {
      masterCustomers: manifest.master.records,
      acquiredRecords: report.counts.total,
      counts: report.counts.byStatus,
      dryRunMs: dryRuns.map((r) => r.wallMs),
      dryRunMedianMs: median(dryRuns.map((r) => r.wallMs)),
      peakRssMb: Math.max(...dryRuns.map((r) => r.peakRssMb)),
      commitMs: commit.wallMs,
      rollbackMs,
      rollbackRestored: restored,
      accuracy: Math.round(accuracy.accuracy * 10_000) / 10_000,
      ambiguous: accuracy.ambiguous,
      ours: accuracy.ours,
      theirs: accuracy.theirs,
      masterRunMs: masterMs,
    };
    for (const [k, v] of Object.entries(result)) log(`${k.padEnd(18)} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await db?.close();
    await rm(out, { recursive: true, force: true });
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await database.drop();
  }
}

/** Runs `goldrun <args>` to the end; the wall time includes starting the process, as a user sees it. */
async function cli(args: string[], env: NodeJS.ProcessEnv, watchMemory = false): Promise<{ wallMs: number; peakRssMb: number; lastLine: string }> {
  const started = performance.now();
  const run = startGoldrun(args, env);
  const memory = new PeakMemory();
  if (watchMemory) memory.watch(() => [run.child.pid]);
  const code = await run.done;
  memory.stop();
  const wallMs = Math.round(performance.now() - started);
  if (code !== 0) throw new Error(`goldrun ${args.join(' ')} exited with ${code}:\n${run.output().slice(-2000)}`);
  const lines = run.output().trim().split('\n');
  return { wallMs, peakRssMb: memory.largestMb(), lastLine: lines[lines.length - 1]! };
}

async function reuseOrGenerate(
  dir: string,
  master: { records: number; systems: number; seed: number },
  acquired: { records: number; overlap: number; seed: number },
): Promise<AcquisitionManifest> {
  const file = join(dir, 'acquisition-manifest.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as AcquisitionManifest;
  await writeDataset({ ...master, out: dir });
  return writeAcquisition({ master, out: dir, ...acquired });
}

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

main().catch((err: unknown) => reportBenchFailure('bench:import', USAGE, err));
