import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransactionSql } from 'postgres';
import type { Database, Sql } from './client.js';
import { copyChunks, type Cell } from './copy-text.js';

export type { Cell };
export type ColumnType = 'text' | 'bigint' | 'int' | 'smallint' | 'real' | 'float8' | 'json' | 'jsonb' | 'boolean' | 'timestamptz';

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
  // postgres.js serializes only array types it knows: json, jsonb and timestamptz arrays travel as text arrays.
  const casts = target.columns.map(([, type], c) => `$${c + 1}::${type === 'json' || type === 'jsonb' || type === 'timestamptz' ? `text[]::${type}` : type}[]`);
  await sql.unsafe(`insert into ${target.table} (${names}) select * from unnest(${casts.join(', ')})`, params as never[]);
}

/** COPY into a table over the given connection (a reserved one, for a session's temporary table). */
export async function copyRows(sql: Sql, table: string, columns: string, rows: ReadonlyArray<ReadonlyArray<Cell>>): Promise<void> {
  await copyChunksInto(sql, table, columns, copyChunks(rows));
}

/**
 * Rows already in COPY text format (a `CopyWriter`'s, made on a worker thread) into a table, on a
 * Postgres server (the embedded database has no COPY: callers send it rows instead).
 */
export async function copyTextInto(sql: Sql, target: BulkTable, text: string | Uint8Array): Promise<void> {
  if (text.length === 0) return;
  await copyChunksInto(sql, target.table, target.columns.map(([name]) => name).join(', '), [text]);
}

/** COPY text, chunk by chunk, into a table over the given connection. */
export async function copyChunksInto(sql: Sql, table: string, columns: string, chunks: Iterable<string | Uint8Array>): Promise<void> {
  const writable = await sql.unsafe(`copy ${table} (${columns}) from stdin`).writable();
  await pipeline(Readable.from(streamable(chunks)), writable);
}

const COPY_FRAME = 1 << 18;

/**
 * Bytes from a thread wrapped as Buffers (not copied), lazily, in slices of at most 256 KiB:
 * postgres.js copies each piece into a fresh message buffer.
 */
function* streamable(chunks: Iterable<string | Uint8Array>): Generator<string | Buffer> {
  for (const c of chunks) {
    if (typeof c === 'string') {
      yield c;
      continue;
    }
    const bytes = Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.length);
    for (let at = 0; at < bytes.length; at += COPY_FRAME) yield bytes.subarray(at, at + COPY_FRAME);
  }
}
