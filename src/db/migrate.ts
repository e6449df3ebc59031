import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { packageRoot } from '../package-root.js';
import { SchemaOutdatedError } from '../errors.js';
import type { Database } from './client.js';

export function migrationsFolder(): string {
  return join(packageRoot(), 'drizzle');
}

/** Applies drizzle-kit's committed migrations; safe to run again and from several processes. */
export async function runMigrations(database: Database): Promise<{ applied: number; total: number }> {
  const before = await appliedCount(database);
  await database.sql`select pg_advisory_lock(hashtext('goldrun-migrate'))`.simple();
  try {
    await migrate(database.db, { migrationsFolder: migrationsFolder() });
  } finally {
    await database.sql`select pg_advisory_unlock(hashtext('goldrun-migrate'))`.simple();
  }
  const total = journalLength();
  return { applied: total - before, total };
}

/** Refuses to run against a database that `goldrun migrate` has not brought up to date. */
export async function assertMigrated(database: Database): Promise<void> {
  const applied = await appliedCount(database);
  const total = journalLength();
  if (applied < total) {
    throw new SchemaOutdatedError(
      `the database at ${database.location} has ${applied} of ${total} goldrun migrations: run \`goldrun migrate\` first`,
    );
  }
}

async function appliedCount(database: Database): Promise<number> {
  const [exists] = await database.sql<{ ok: boolean }[]>`select to_regclass('drizzle.__drizzle_migrations') is not null as ok`;
  if (!exists?.ok) return 0;
  const [row] = await database.sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
  return row?.n ?? 0;
}

function journalLength(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}
