import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import * as schema from './schema.js';
import { startEmbeddedPostgres } from './embedded/embedded-postgres.js';

export type Db = PostgresJsDatabase<typeof schema>;
export type Sql = postgres.Sql;

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

export function connect(url: string, options: { max?: number } = {}): Sql {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // bigint ids fit in a double for any realistic number of records.
    types: { bigint: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) } },
    connection: { application_name: 'goldrun' },
  });
  timestampsAsText(sql);
  return sql;
}

/** date, time, timestamp and timestamptz (their arrays go as text[], cast in SQL, as the Database notes). */
const TIME_TYPES = [1082, 1083, 1114, 1184];

/**
 * Times travel as Postgres' own text, both ways, on every client goldrun makes. postgres.js
 * would parse them into a Date and serialize a text parameter typed timestamptz through one,
 * keeping milliseconds of Postgres' microseconds: a run's own finish time, sent back, then
 * fell before rows it wrote (docs/benchmarks.md, eighteenth pass). Drizzle turns that off on
 * the clients it wraps, so a client without it (a bare connect()) used to disagree with them.
 */
function timestampsAsText(sql: Sql): void {
  for (const type of TIME_TYPES) {
    sql.options.parsers[type] = (text: string) => text;
    sql.options.serializers[type] = (value: unknown) => (value instanceof Date ? value.toISOString() : value);
  }
}

function describeServer(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}
