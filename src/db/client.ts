import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import * as schema from './schema.js';
import { startEmbeddedPostgres } from './embedded/embedded-postgres.js';
import { connect, timestampsAsText, type Sql } from './connect.js';

export { connect, type Sql };

export type Db = PostgresJsDatabase<typeof schema>;

export interface Database {
  /** Drizzle for typed queries. */
  db: Db;
  /**
   * postgres.js for bulk, parameterized SQL (unnest batches). It is the client drizzle
   * wraps, and drizzle turns off postgres.js' date handling: timestamps come back as text
   * and date/timestamp arrays must be sent as text[] and cast in SQL.
   */
  sql: Sql;
  url: string;
  embedded: boolean;
  /**
   * Whether the server takes COPY and dedicated connections: a real Postgres does, PGlite
   * behind goldrun's wire bridge does not (whether this process started it or another did).
   */
  bulkCopy: boolean;
  /** 'memory', a folder, or the server (never with credentials). */
  location: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A Postgres URL; without one, an embedded PGlite database is started. */
  url?: string;
  /** The embedded database's folder, or 'memory'. */
  dataDir?: string;
  max?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const embedded = options.url === undefined ? await startEmbeddedPostgres({ dataDir: options.dataDir ?? '.goldrun' }) : undefined;
  const url = options.url ?? embedded!.url;
  const sql = connect(url, { max: options.max ?? 10 });
  const [server] = await sql<{ version: string }[]>`select version()`.catch(async (err) => {
    await sql.end({ timeout: 1 });
    await embedded?.stop();
    throw err;
  });
  const db = drizzle(sql, { schema });
  // drizzle put its own pass-through handlers in place of connect()'s, which also write a Date.
  timestampsAsText(sql);
  return {
    db,
    sql,
    url,
    embedded: embedded !== undefined,
    bulkCopy: !/PGlite|emscripten/i.test(server?.version ?? ''),
    location: embedded ? embedded.location : describeServer(url),
    close: async () => {
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}

function describeServer(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}
