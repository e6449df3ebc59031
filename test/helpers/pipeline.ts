import pino from 'pino';
import { stageHandlers } from '../../jobs/index.js';
import { secretFromEnvironment, type SecretLookup } from '../../src/config/env.js';
import type { Database } from '../../src/db/client.js';
import type { PipelineContext } from '../../src/pipeline/context.js';
import { parseFailpoints } from '../../src/pipeline/failpoints.js';
import { postgresQueueBackend, redisQueueBackend, type QueueBackend } from '../../src/queue/queue-backend.js';
import { startWorkers, type RunningWorkers } from '../../src/queue/start-workers.js';
import { createThreadPool } from '../../src/score/thread-pool.js';
import { createScanThreads } from '../../src/pipeline/scan-threads.js';
import { REDIS_URL } from './services.js';
import { openMigratedDatabase } from './database.js';

export interface TestPipeline {
  database: Database;
  queues: QueueBackend;
  ctx: PipelineContext;
  workers: RunningWorkers | null;
  close(): Promise<void>;
}

/**
 * goldrun's real services for a test: a migrated database, BullMQ on Redis (under the
 * given prefix) or on Postgres, scoring threads, and in-process workers for every stage.
 */
export async function startTestPipeline(options: {
  databaseUrl: string;
  queue: { kind: 'redis'; prefix: string } | { kind: 'postgres' };
  failpoints?: string;
  secrets?: SecretLookup;
  workers?: boolean;
}): Promise<TestPipeline> {
  const database = await openMigratedDatabase(options.databaseUrl);
  const queues = options.queue.kind === 'redis' ? redisQueueBackend(REDIS_URL, options.queue.prefix) : postgresQueueBackend(database.url, 'test');
  await queues.migrate();
  const pool = createThreadPool(2);
  const scanThreads = createScanThreads(2);
  const ctx: PipelineContext = {
    database,
    log: pino({ level: 'silent' }),
    runner: pool,
    scanThreads,
    secrets: options.secrets ?? secretFromEnvironment,
    failpoints: parseFailpoints(options.failpoints),
  };
  const workers = options.workers === false ? null : startWorkers(queues, ctx, stageHandlers, { lockDurationMs: 30_000 });
  return {
    database,
    queues,
    ctx,
    workers,
    close: async () => {
      await workers?.close();
      await pool.destroy();
      await scanThreads.destroy();
      await queues.close();
      await database.close();
    },
  };
}
