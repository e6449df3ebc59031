import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { copyTextInto } from '../../src/db/bulk-write.js';
import { copyBytes } from '../../src/db/copy-text.js';
import { TableWriter } from '../../src/db/table-writer.js';
import { createTestDatabase, requireServices, type TestDatabase } from '../helpers/services.js';

describe('COPY of bytes made on a thread', () => {
  let db: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    database = await openDatabase({ url: db.url, max: 1 });
    await database.sql`create table copied (n int, note text)`;
  });

  afterAll(async () => {
    await database?.close();
    await db?.drop();
  });

  it('lands every row of a batch sent in slices, rows and characters cut across slice boundaries', async () => {
    // About 2.5 MB: ten 256 KiB slices, whose ends fall inside rows and inside multi-byte characters.
    const rows = Array.from({ length: 20_000 }, (_, n) => [n, `${'é東🦄'.repeat(n % 17)}\t${n}\\${'x'.repeat(n % 101)}`]);
    const bytes = copyBytes(rows);
    expect(bytes.length).toBeGreaterThan(10 * 262_144);
    await copyTextInto(database.sql, { table: 'copied', columns: [['n', 'int'], ['note', 'text']] }, bytes);
    const back = await database.sql<{ n: number; note: string }[]>`select n, note from copied order by n`;
    expect(back.map((r) => [r.n, r.note])).toEqual(rows);
  });

  // postgres.js 3.4.9 left the stream waiting forever when the server refused the rows after
  // the last one was sent (porsager/postgres#1173): patches/ carries the fix.
  it('fails with the server\'s error, not a hang, when the rows are refused, and the connection goes on', async () => {
    const conn = await database.sql.reserve();
    try {
      await expect(copyTextInto(conn, { table: 'copied', columns: [['n', 'int'], ['note', 'text']] }, 'not a number\tx\n'))
        .rejects.toMatchObject({ code: '22P02' });
      const [row] = await conn<{ one: number }[]>`select 1 as one`;
      expect(row!.one).toBe(1);
    } finally {
      conn.release();
    }
  });

  it('writes a TableWriter\'s rows the same by COPY and, where the database takes no COPY, by insert', async () => {
    const table = { table: 'written', columns: [['id', 'bigint'], ['w', 'real'], ['p', 'float8'], ['note', 'text']] } as const;
    await database.sql`create table written (id bigint, w real, p float8, note text)`;
    const rows = Array.from({ length: 3_000 }, (_, n) => [
      2 ** 40 + n, Math.fround(n / 7 - 100), n === 5 ? null : 1 / (n + 3), n % 4 === 0 ? null : `a\tb\n${'é東🦄'.repeat(n % 5)}\\${n}`,
    ] as const);
    // Asked for a few bytes, so that the COPY buffer grows on the way.
    for (const bulkCopy of [true, false]) {
      await database.sql`truncate written`;
      const writer = new TableWriter({ ...database, bulkCopy }, table, 16);
      for (const row of rows) {
        for (const value of row) writer.cell(value);
        writer.endRow();
      }
      expect(writer.rows).toBe(rows.length);
      await writer.write();
      const back = await database.sql<{ id: string; w: number; p: number | null; note: string | null }[]>`select id::text, w, p, note from written order by id`;
      expect(back.map((r) => [Number(r.id), Math.fround(r.w), r.p, r.note]), bulkCopy ? 'by COPY' : 'by insert').toEqual(rows);
    }
  });

  it('refuses a TableWriter row with too few or too many cells', () => {
    const writer = new TableWriter(database, { table: 'written', columns: [['id', 'bigint'], ['note', 'text']] }, 64);
    writer.cell(1);
    expect(() => writer.endRow()).toThrow('a written row has 1 cells, not 2');
  });
});
