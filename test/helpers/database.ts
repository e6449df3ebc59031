import { openDatabase, type Database } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';

/** A database opened and migrated to the schema goldrun runs on, as `goldrun migrate` leaves it. */
export async function openMigratedDatabase(url: string, max?: number): Promise<Database> {
  const database = await openDatabase({ url, ...(max === undefined ? {} : { max }) });
  await runMigrations(database);
  return database;
}
