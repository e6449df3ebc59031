import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deferIndexes } from '../../src/db/deferred-indexes.js';
import { transaction } from '../../src/pipeline/transaction.js';
import { createTestDatabase, requireServices, type TestDatabase } from '../helpers/services.js';

/** Index and constraint definitions of a table, as the catalog states them. */
async function definitions(sql: postgres.Sql, table: string): Promise<string[]> {
  const rows = await sql<{ def: string }[]>`
    select pg_get_indexdef(i.indexrelid) as def from pg_index i where i.indrelid = ${table}::regclass
    union all
    select conname || ' ' || pg_get_constraintdef(oid) from pg_constraint where conrelid = ${table}::regclass and contype in ('p', 'u')`;
  return rows.map((r) => r.def).sort();
}

describe('deferIndexes', () => {
  let db: TestDatabase;
  let sql: postgres.Sql;
  let before: Record<string, string[]>;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    sql = postgres(db.url, { max: 2, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end({ timeout: 1 });
    await db?.drop();
  });

  beforeEach(async () => {
    await sql.unsafe(`
      drop table if exists loads, filled, parent, child;
      create table loads (id bigint primary key, code text not null, owner text, note text, constraint loads_code_key unique (code));
      create index loads_owner_idx on loads (owner) where note is not null;
      create index "Loads Note" on loads (lower(note));
      create table filled (id int primary key, tag text);
      create index filled_tag_idx on filled (tag);
      insert into filled values (1, 'x');
      create table parent (id int primary key);
      create table child (id int primary key, parent_id int references parent (id));`);
    before = {
      loads: await definitions(sql, 'loads'),
      filled: await definitions(sql, 'filled'),
      parent: await definitions(sql, 'parent'),
    };
  });

  it('drops an empty table\'s indexes and constraints during the load and builds the same ones after it', async () => {
    const during = await transaction(sql, async (tx) => {
      const rebuild = await deferIndexes(tx, ['loads', 'filled', 'parent']);
      await tx`insert into loads select g, 'c' || g, 'o' || (g % 7), case when g % 2 = 0 then 'n' end from generate_series(1, 5000) g`;
      const seen = {
        loads: (await tx<{ n: number }[]>`select count(*)::int as n from pg_index where indrelid = 'loads'::regclass`)[0]!.n,
        filled: (await tx<{ n: number }[]>`select count(*)::int as n from pg_index where indrelid = 'filled'::regclass`)[0]!.n,
        parent: (await tx<{ n: number }[]>`select count(*)::int as n from pg_index where indrelid = 'parent'::regclass`)[0]!.n,
      };
      await rebuild();
      return seen;
    });
    // Only the empty table lost its indexes: the filled one and the one a foreign key needs kept theirs.
    expect(during).toEqual({ loads: 0, filled: 2, parent: 1 });
    expect(await definitions(sql, 'loads')).toEqual(before.loads);
    expect(await definitions(sql, 'filled')).toEqual(before.filled);
    expect(await definitions(sql, 'parent')).toEqual(before.parent);
    await expect(sql`insert into loads values (9999, 'c1', null, null)`).rejects.toMatchObject({ code: '23505' });
  });

  it('fails the transaction on a duplicate the indexes would have refused, and the rollback keeps them', async () => {
    const load = transaction(sql, async (tx) => {
      const rebuild = await deferIndexes(tx, ['loads']);
      await tx`insert into loads values (1, 'a', null, null), (1, 'b', null, null)`;
      await rebuild();
    });
    await expect(load).rejects.toMatchObject({ code: '23505' });
    expect(await definitions(sql, 'loads')).toEqual(before.loads);
    expect((await sql<{ n: number }[]>`select count(*)::int as n from loads`)[0]!.n).toBe(0);
  });
});
