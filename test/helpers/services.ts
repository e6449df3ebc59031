import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { Redis } from 'ioredis';

/** The local services integration tests run against (see the README). */
export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Fails with a clear message when Postgres or Redis is not running: service-backed tests
 * never skip, in CI or anywhere else.
 */
export async function requireServices(): Promise<void> {
  const sql = postgres(ADMIN_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL} (${(err as Error).message}); start it before running the tests`);
  } finally {
    await sql.end({ timeout: 1 });
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(`Redis is not reachable at ${REDIS_URL} (${(err as Error).message}); start it before running the tests`);
  } finally {
    redis.disconnect();
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database per test file, dropped afterwards, so tests never share tables. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `goldrun_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}

/** A unique Redis key prefix per test, and a way to remove everything under it. */
export function redisPrefix(): { prefix: string; cleanup(): Promise<void> } {
  const prefix = `gr_test_${randomUUID().slice(0, 8)}`;
  return {
    prefix,
    cleanup: async () => {
      const redis = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}
