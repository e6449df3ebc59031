import { FlowProducer, Queue, Worker, createPostgresBackend, runMigrations, type ConnectionOptions, type Processor, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { EMBEDDED_QUEUE_SCHEMA } from '../db/embedded/embedded-postgres.js';

/**
 * Where BullMQ keeps its queues: Redis when REDIS_URL is set, else BullMQ's PostgreSQL
 * backend in goldrun's own database (embedded or not). The same Queue, Worker and
 * FlowProducer code runs on both; this is the only place that knows the difference.
 */
export interface QueueBackend {
  readonly kind: 'redis' | 'postgres';
  /** Where, for messages (never with credentials). */
  readonly description: string;
  queue(name: string): Queue;
  worker(name: string, processor: Processor, options: Omit<WorkerOptions, 'connection' | 'prefix'>): Worker;
  flowProducer(): FlowProducer;
  /** Creates BullMQ's tables when the backend is Postgres; nothing to do for Redis. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export function redisQueueBackend(url: string, prefix: string): QueueBackend {
  const connection = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  connection.on('error', () => {
    // Reconnects are ioredis' job; BullMQ reports what fails to the jobs concerned.
  });
  const options = { connection: connection as unknown as ConnectionOptions, prefix };
  const host = safeHost(url);
  return {
    kind: 'redis',
    description: `redis ${host} (prefix ${prefix})`,
    queue: (name) => new Queue(name, options),
    worker: (name, processor, workerOptions) => new Worker(name, processor, { ...workerOptions, ...options }),
    flowProducer: () => new FlowProducer(options),
    migrate: async () => {},
    close: async () => {
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

export function postgresQueueBackend(databaseUrl: string, description: string): QueueBackend {
  // Each BullMQ object owns a small pool plus, for workers, one LISTEN connection.
  const connection = { connectionString: databaseUrl, schema: EMBEDDED_QUEUE_SCHEMA, max: 2 };
  return {
    kind: 'postgres',
    description: `postgres ${description} (schema ${EMBEDDED_QUEUE_SCHEMA})`,
    // BullMQ types each class by its backend; goldrun uses only what both backends share.
    queue: (name) => new Queue(name, { connection }, createPostgresBackend) as unknown as Queue,
    worker: (name, processor, workerOptions) =>
      new Worker(name, processor, { ...workerOptions, connection }, createPostgresBackend) as unknown as Worker,
    flowProducer: () => new FlowProducer({ connection }, createPostgresBackend) as unknown as FlowProducer,
    migrate: async () => {
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
      try {
        await runMigrations(pool, EMBEDDED_QUEUE_SCHEMA);
      } finally {
        await pool.end();
      }
    },
    close: async () => {},
  };
}

function safeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 6379}`;
  } catch {
    return 'redis';
  }
}
