import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { copyTextInto } from '../../src/db/bulk-write.js';
import { copyBytes } from '../../src/db/copy-text.js';
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
});
