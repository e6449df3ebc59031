import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, openDatabase, type Database, type Sql } from '../../src/db/client.js';
import { createTestDatabase, requireServices, type TestDatabase } from '../helpers/services.js';

/**
 * Times keep Postgres' microseconds through every client goldrun makes: the bare one
 * connect() returns and the one openDatabase wraps in drizzle. postgres.js on its own turns
 * them into a Date, which keeps milliseconds.
 */
describe('timestamps through goldrun clients', () => {
  let db: TestDatabase;
  let database: Database;
  let bare: Sql;
  const clients = (): Array<[string, Sql]> => [['connect()', bare], ['openDatabase', database.sql]];
  const precise = '2026-01-01 10:05:00.359896+00';

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    database = await openDatabase({ url: db.url, max: 1 });
    bare = connect(db.url, { max: 1 });
  });

  afterAll(async () => {
    await bare?.end({ timeout: 5 });
    await database?.close();
    await db?.drop();
  });

  it('come back as text with their microseconds', async () => {
    for (const [name, sql] of clients()) {
      const [row] = await sql<{ at: unknown; day: unknown }[]>`
        select ${precise}::text::timestamptz at time zone 'UTC' as at, date '2026-01-02' as day`;
      expect({ name, at: row!.at, day: row!.day }).toEqual({ name, at: '2026-01-01 10:05:00.359896', day: '2026-01-02' });
    }
  });

  it('go out as the text given when a parameter is typed as a time', async () => {
    for (const [name, sql] of clients()) {
      // The parameter is typed timestamptz by the cast after it, and serialized as that type.
      const [row] = await sql<{ same: boolean }[]>`select ${precise}::timestamptz = ${precise}::text::timestamptz as same`;
      expect({ name, same: row!.same }).toEqual({ name, same: true });
    }
  });

  it('write a Date parameter as its instant', async () => {
    const instant = new Date('2026-01-01T10:05:00.359Z');
    for (const [name, sql] of clients()) {
      const [row] = await sql<{ same: boolean }[]>`select ${instant} = '2026-01-01 10:05:00.359+00'::timestamptz as same`;
      expect({ name, same: row!.same }).toEqual({ name, same: true });
    }
  });
});
