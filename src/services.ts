import type { Environment } from './config/env.js';
import { secretFromEnvironment, type SecretLookup } from './config/env.js';
import { openDatabase, type Database } from './db/client.js';
import { assertMigrated, runMigrations } from './db/migrate.js';
import type { Logger } from './logger.js';
import type { PipelineContext } from './pipeline/context.js';
import { parseFailpoints } from './pipeline/failpoints.js';
import { postgresQueueBackend, redisQueueBackend, type QueueBackend } from './queue/queue-backend.js';
import type { ShardRunner } from './score/runner.js';
import { createThreadPool, type ThreadPool } from './score/thread-pool.js';
import { createScanThreads } from './pipeline/scan-threads.js';
import { PULLS_AT_ONCE } from './pipeline/stages.js';

/** Everything a goldrun process talks to, opened once and closed together. */
export interface Services {
  database: Database;
  queues: QueueBackend;
  ctx: PipelineContext;
  close(): Promise<void>;
}

export interface OpenServicesOptions {
  env: Environment;
  log: Logger;
  /** Scoring threads; 0 = one per core. */
  threads?: number;
  /** Sources pulled at once (each scans its rows on a thread of its own). */
  pullConcurrency?: number;
  secrets?: SecretLookup;
  /** Overrides env.dataDir for the embedded database ('memory' keeps nothing). */
  dataDir?: string;
}

/**
 * Opens the database (embedded PGlite when DATABASE_URL is unset, migrated on the spot
 * since goldrun owns it) and the queue backend (Redis when REDIS_URL is set, else BullMQ's
 * PostgreSQL backend on the same database).
 */
export async function openServices(options: OpenServicesOptions): Promise<Services> {
  const { env, log } = options;
  const database = await openDatabase({ url: env.databaseUrl, dataDir: options.dataDir ?? env.dataDir });
  try {
    if (database.embedded) await runMigrations(database);
    else await assertMigrated(database);
    const queues = env.redisUrl ? redisQueueBackend(env.redisUrl, env.queuePrefix) : postgresQueueBackend(database.url, database.location);
    if (database.embedded && queues.kind === 'postgres') await queues.migrate();
    const runner = lazyThreadPool(options.threads ?? 0);
    // A thread per source pulled at once: the cores are shared by the pulls, none waits for a thread.
    const scanThreads = createScanThreads(options.pullConcurrency ?? PULLS_AT_ONCE);
    const ctx: PipelineContext = {
      database,
      log,
      runner,
      scanThreads,
      secrets: options.secrets ?? secretFromEnvironment,
      failpoints: parseFailpoints(env.failpoints),
    };
    log.debug({ database: database.location, queues: queues.description }, 'services opened');
    return {
      database,
      queues,
      ctx,
      close: async () => {
        await runner.destroy();
        await scanThreads.destroy();
        await queues.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** Threads start only when a process first trains or scores, not for every CLI command. */
function lazyThreadPool(threads: number): ThreadPool {
  let pool: ThreadPool | null = null;
  const get = () => (pool ??= createThreadPool(threads));
  const runner: ShardRunner & { destroy(): Promise<void> } = {
    get threads() {
      return get().threads;
    },
    histogram: (data, shard) => get().histogram(data, shard),
    score: (data, shard, weights) => get().score(data, shard, weights),
    sampleLevels: (data, samples, seed, order) => get().sampleLevels(data, samples, seed, order),
    survivePage: (task) => get().survivePage(task),
    destroy: async () => {
      if (pool) await pool.destroy();
      pool = null;
    },
  };
  return runner;
}
