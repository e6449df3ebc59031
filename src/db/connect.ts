import postgres from 'postgres';

export type Sql = postgres.Sql;

/**
 * A postgres.js client as goldrun configures every one. Apart from the database module, so
 * that a thread that only reads (the match load's later half) need not load drizzle, the
 * schema and the embedded database to connect.
 */
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
export function timestampsAsText(sql: Sql): void {
  for (const type of TIME_TYPES) {
    sql.options.parsers[type] = (text: string) => text;
    sql.options.serializers[type] = (value: unknown) => (value instanceof Date ? value.toISOString() : value);
  }
}

