import postgres from 'postgres';
import { SourceError } from '../errors.js';
import type { Connector, PullOptions, PulledRow } from './types.js';

export interface PostgresSourceOptions {
  name: string;
  /** Connection string, already read from the environment variable the settings name. */
  url: string;
  query: string;
  /** The record id column: pages are read in its order. */
  idColumn: string;
  batchSize: number;
  updatedAt?: string;
}

/**
 * Reads a query's rows from another PostgreSQL database a page at a time, in order of the
 * record id (keyset pagination: `id > last`), so no cursor or transaction stays open on
 * the source between pages. With a watermark, only rows changed since then are read. The
 * query is wrapped, never edited, and values travel as parameters.
 */
export function postgresConnector(options: PostgresSourceOptions): Connector {
  return { location: `query on ${redactUrl(options.url)}`, rows: (pull) => readQuery(options, pull) };
}

async function* readQuery(options: PostgresSourceOptions, pull: PullOptions): AsyncGenerator<PulledRow> {
  const sql = postgres(options.url, {
    max: 1, onnotice: () => {}, connect_timeout: 10, idle_timeout: 5,
    // A calendar date stays the text the source holds ('1980-03-12'), not a midnight instant in some time zone.
    types: { date: { to: 1082, from: [1082], serialize: (v: string) => v, parse: (v: string) => v } },
  });
  const id = quoteIdentifier(options.idColumn);
  const incremental = pull.watermark !== null && options.updatedAt !== undefined;
  // The query is wrapped in a subquery, where a trailing semicolon would be a syntax error.
  const inner = options.query.trim().replace(/;+\s*$/, '');
  try {
    let last: unknown = null;
    let rowNumber = 0;
    for (;;) {
      const conditions: string[] = [];
      const params: unknown[] = [];
      if (incremental) {
        params.push(pull.watermark);
        // Rows without a change time are read every time, as the file connectors do.
        const column = quoteIdentifier(options.updatedAt!);
        conditions.push(`(${column} >= $${params.length} or ${column} is null)`);
      }
      if (last !== null) {
        params.push(last);
        conditions.push(`${id} > $${params.length}`);
      }
      const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
      const text = `select * from (${inner}) as goldrun_source ${where} order by ${id} limit ${options.batchSize}`;
      let rows: Record<string, unknown>[];
      try {
        rows = await sql.unsafe(text, params as never[]);
      } catch (err) {
        const code = (err as { code?: string }).code;
        // Syntax errors, missing tables or columns, bad credentials: retrying will not fix the settings.
        const retryable = !(code && /^(42|22|28)/.test(code));
        throw new SourceError(options.name, `query failed: ${(err as Error).message}`, { cause: err, retryable });
      }
      for (const row of rows) yield { kind: 'row', rowNumber: ++rowNumber, values: row };
      if (rows.length < options.batchSize) return;
      last = rows[rows.length - 1]![options.idColumn];
      if (last === null || last === undefined) {
        throw new SourceError(options.name, `column "${options.idColumn}" (id) is null in the query's results`, { retryable: false });
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}
