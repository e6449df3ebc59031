import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { packageRoot } from '../package-root.js';
import type { ShardRunner } from './runner.js';
import { unpackHistogram, unpackScored } from './packing.js';

export interface ThreadPool extends ShardRunner {
  destroy(): Promise<void>;
}

/**
 * A Piscina pool running workers/score-shard (and workers/survive-page for the survive
 * stage). Records travel as shared memory; results come back as transferred buffers.
 */
export function createThreadPool(threads = 0): ThreadPool {
  const size = threads > 0 ? threads : availableParallelism();
  const survivePageFile = workerFile('survive-page');
  const pool = new Piscina({
    filename: workerFile('score-shard'),
    minThreads: size,
    maxThreads: size,
    idleTimeout: 30_000,
    concurrentTasksPerWorker: 1,
  });
  return {
    threads: size,
    histogram: async (data, shard) => unpackHistogram(await pool.run({ kind: 'histogram', data, shard })),
    score: async (data, shard, weights) => unpackScored(await pool.run({ kind: 'score', data, shard, weights })),
    sampleLevels: (data, samples, seed, order) => pool.run({ kind: 'sample', data, samples, seed, order }),
    survivePage: (task) => pool.run(task, { filename: survivePageFile }),
    destroy: () => pool.destroy(),
  };
}

/**
 * The compiled worker file. Under the test runner the code runs from TypeScript sources,
 * which worker threads cannot load, so the build in dist/ is used (`npm test` builds first).
 */
export function workerFile(name: string): string {
  const root = packageRoot();
  const compiled = join(root, 'dist', 'workers', `${name}.js`);
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run \`npm run build\``);
  return compiled;
}
