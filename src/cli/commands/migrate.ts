import { openDatabase } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';
import { postgresQueueBackend } from '../../queue/queue-backend.js';
import { writeLine, type CommandIo } from '../io.js';

/** Applies goldrun's migrations and, when queues live in Postgres, BullMQ's. */
export async function migrateCommand(io: CommandIo): Promise<number> {
  const database = await openDatabase({ url: io.env.databaseUrl, dataDir: io.env.dataDir });
  try {
    const result = await runMigrations(database);
    writeLine(io.stdout, `goldrun schema: ${result.applied} migration(s) applied, ${result.total} in all (${database.location})`);
    if (!io.env.redisUrl) {
      await postgresQueueBackend(database.url, database.location).migrate();
      writeLine(io.stdout, 'queue schema: BullMQ PostgreSQL backend ready (no REDIS_URL set)');
    }
    return 0;
  } finally {
    await database.close();
  }
}
