import { openDatabase } from '../../src/db/client.js';
import { loadSettings } from '../../src/config/load-settings.js';
import { loadWholeRun } from '../../src/pipeline/split-load.js';
import { survivorshipPolicy } from '../../src/pipeline/survivorship-policy.js';
import { matchPlanOf, trainModel } from '../../src/score/engine.js';
import type { ShardRunner } from '../../src/score/runner.js';
import { createThreadPool } from '../../src/score/thread-pool.js';
import { benchArgs, reportBenchFailure, UsageError } from '../args.js';

const USAGE = `usage: node dist/bench/probes/train-parts.js --database URL --data DIR [--rounds N] [--threads T] [--split-from N]

Times the train stage's parts on a database the bench kept (\`npm run bench -- --keep\`), as the
stage runs them: the load of every live customer record (with survive's members), the match
plan, and the model's fit, split into its random-pair sample and its candidate pairs'
histograms. Each round prints one JSON line with milliseconds and the process's CPU
milliseconds for the load; --data is the bench data folder (its settings.yaml). The load is
read in two halves side by side when the records' ids span --split-from or more (the run's
default, 200000); a larger number than the records reads it in one.`;

async function main(): Promise<void> {
  const values = benchArgs(USAGE, { database: { type: 'string' }, data: { type: 'string' }, rounds: { type: 'string', default: '3' }, threads: { type: 'string', default: '0' }, 'split-from': { type: 'string', default: '200000' } }, ['rounds', 'threads', 'split-from']);
  if (values === null) return;
  if (!values.database || !values.data) throw new UsageError('--database and --data are both needed');
  const settings = await loadSettings(`${values.data}/settings.yaml`);
  const database = await openDatabase({ url: values.database, max: 2 });
  const pool = createThreadPool(Number(values.threads));
  try {
    for (let round = 0; round < Number(values.rounds); round++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const loaded = await loadWholeRun(database, settings, { survived: survivorshipPolicy(settings).attributes, splitFrom: Number(values['split-from']) });
      const loadCpu = process.cpuUsage(cpu);
      const planned = performance.now();
      const plan = matchPlanOf(loaded.columns, loaded.keys, settings, {});
      const fitting = performance.now();
      // When the last random-pair chunk and the last histogram came back, from the fit's start.
      let sampled = 0;
      let histogrammed = 0;
      const runner: ShardRunner = {
        ...pool,
        sampleLevels: async (...args) => {
          const out = await pool.sampleLevels(...args);
          sampled = performance.now() - fitting;
          return out;
        },
        histogram: async (...args) => {
          const out = await pool.histogram(...args);
          histogrammed = performance.now() - fitting;
          return out;
        },
      };
      const model = await trainModel(runner, plan, settings);
      const fitted = performance.now();
      process.stdout.write(`${JSON.stringify({
        round, records: loaded.ids.length, loadMs: Math.round(planned - started),
        loadCpuMs: Math.round((loadCpu.user + loadCpu.system) / 1000), planMs: Math.round(fitting - planned),
        fitMs: Math.round(fitted - fitting), sampledByMs: Math.round(sampled), histogrammedByMs: Math.round(histogrammed),
        iterations: model.iterations,
      })}\n`);
    }
  } finally {
    await pool.destroy();
    await database.close();
  }
}

main().catch((err) => reportBenchFailure('train-parts', USAGE, err));
