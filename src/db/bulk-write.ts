import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransactionSql } from 'postgres';
import type { Sql } from './client.js';
import type { Cell } from './copy-text.js';

export type { Cell };
export type ColumnType = 'text' | 'bigint' | 'int' | 'smallint' | 'real' | 'float8' | 'json' | 'jsonb' | 'boolean' | 'timestamptz';

export interface BulkTable {
  table: string;
  columns: ReadonlyArray<readonly [name: string, type: ColumnType]>;
}

/**
 * Rows by one unnest insert, on any connection or transaction: the embedded database, whose
 * wire bridge has no COPY, and a transaction's guarded queries, which COPY cannot join. On a
 * Postgres server outside those, rows go by COPY (`TableWriter`, `copyTextInto`): measured
 * five times faster for rows carrying JSON. Table and column names come from code, never from
 * input; values always travel as data.
 */
export async function insertRows(sql: Sql | TransactionSql, target: BulkTable, rows: ReadonlyArray<ReadonlyArray<Cell>>): Promise<void> {
  if (rows.length === 0) return;
  const names = target.columns.map(([name]) => name).join(', ');
  const params = target.columns.map((_, c) => rows.map((row) => row[c] ?? null));
  // postgres.js serializes only array types it knows: json, jsonb and timestamptz arrays travel as text arrays.
  const casts = target.columns.map(([, type], c) => `$${c + 1}::${type === 'json' || type === 'jsonb' || type === 'timestamptz' ? `text[]::${type}` : type}[]`);
  await sql.unsafe(`insert into ${target.table} (${names}) select * from unnest(${casts.join(', ')})`, params as never[]);
}

/**
 * Rows already in COPY text format (a `CopyWriter`'s, made on a worker thread or by a
 * `TableWriter`) into a table, on a Postgres server (the embedded database has no COPY:
 * callers send it rows instead, by `insertRows`).
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
