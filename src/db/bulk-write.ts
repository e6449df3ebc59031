import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransactionSql } from 'postgres';
import type { Database, Sql } from './client.js';

export type ColumnType = 'text' | 'bigint' | 'int' | 'smallint' | 'real' | 'float8' | 'jsonb' | 'boolean' | 'timestamptz';
export type Cell = string | number | boolean | null;

export interface BulkTable {
  table: string;
  columns: ReadonlyArray<readonly [name: string, type: ColumnType]>;
}

/**
 * Appends rows to a table in one round trip: COPY on a Postgres server (measured five times
 * faster than an unnest insert for rows carrying JSON), an unnest insert on the embedded
 * database, whose wire bridge has no COPY. Table and column names come from code, never
 * from input; values always travel as data.
 */
export async function bulkWrite(database: Database, target: BulkTable, rows: ReadonlyArray<ReadonlyArray<Cell>>): Promise<void> {
  if (rows.length === 0) return;
  const names = target.columns.map(([name]) => name).join(', ');
  if (database.bulkCopy) {
    await copyRows(database.sql, target.table, names, rows);
    return;
  }
  await insertRows(database.sql, target, rows);
}

/** The same rows by an unnest insert on any connection or transaction (COPY cannot join a transaction's guarded queries). */
export async function insertRows(sql: Sql | TransactionSql, target: BulkTable, rows: ReadonlyArray<ReadonlyArray<Cell>>): Promise<void> {
  if (rows.length === 0) return;
  const names = target.columns.map(([name]) => name).join(', ');
  const params = target.columns.map((_, c) => rows.map((row) => row[c] ?? null));
  // postgres.js serializes only array types it knows: jsonb and timestamptz arrays travel as text arrays.
  const casts = target.columns.map(([, type], c) => `$${c + 1}::${type === 'jsonb' || type === 'timestamptz' ? `text[]::${type}` : type}[]`);
  await sql.unsafe(`insert into ${target.table} (${names}) select * from unnest(${casts.join(', ')})`, params as never[]);
}

/** COPY into a table over the given connection (a reserved one, for a session's temporary table). */
export async function copyRows(sql: Sql, table: string, columns: string, rows: ReadonlyArray<ReadonlyArray<Cell>>): Promise<void> {
  const writable = await sql.unsafe(`copy ${table} (${columns}) from stdin`).writable();
  await pipeline(Readable.from(copyChunks(rows)), writable);
}

/** COPY text format, a megabyte per chunk. */
function* copyChunks(rows: ReadonlyArray<ReadonlyArray<Cell>>): Generator<string> {
  let chunk = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < row.length; c++) {
      if (c > 0) chunk += '\t';
      chunk += copyValue(row[c] ?? null);
    }
    chunk += '\n';
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

const SPECIAL = /[\\\t\n\r]/;

function copyValue(value: Cell): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  if (!SPECIAL.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
