import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceSchema } from '../../src/config/settings-schema.js';
import { createConnector } from '../../src/connectors/create-connector.js';
import { postgresConnector, type PostgresSourceOptions } from '../../src/connectors/postgres-connector.js';
import type { Connector, PulledRow } from '../../src/connectors/types.js';
import { SourceError } from '../../src/errors.js';

/** The local PostgreSQL the tests run against (trust auth). */
const DB_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `conn_test_${randomBytes(6).toString('hex')}`;

let sql: ReturnType<typeof postgres> | null = null;
let setupError: Error | null = null;

/** Every test starts here: when PostgreSQL is not reachable each test fails with the reason. */
function db(): ReturnType<typeof postgres> {
  if (setupError) throw setupError;
  if (!sql) throw new Error('test database was not set up');
  return sql;
}

const BIG = 9007199254740993n; // beyond Number.MAX_SAFE_INTEGER

beforeAll(async () => {
  const client = postgres(DB_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await client`select 1`;
  } catch (err) {
    setupError = new Error(`PostgreSQL is not reachable at ${DB_URL} (${(err as Error).message}); start it before running the connector tests`);
    await client.end({ timeout: 1 }).catch(() => {});
    return;
  }
  sql = client;
  await sql.unsafe(`create schema ${schema}`);
  await sql.unsafe(`
    create table ${schema}.customers (
      id integer primary key,
      name text not null,
      birth date,
      updated_at timestamptz
    );
    create table ${schema}.accounts (
      code text primary key,
      holder text not null
    );
    create table ${schema}.big (
      id bigint primary key,
      label text not null
    );
  `);
  // inserted out of order: the connector must sort by id
  for (const i of [7, 3, 10, 1, 9, 5, 2, 8, 6, 4]) {
    await sql.unsafe(`insert into ${schema}.customers values ($1, $2, $3, $4)`, [
      i,
      `Customer ${i}`,
      `19${70 + i}-03-12`,
      `2024-01-${String(i).padStart(2, '0')}T12:00:00Z`,
    ]);
  }
  for (const code of ['b-2', 'A-1', 'a-1', 'B-2', 'c', 'C', 'aa', 'z9', 'Z0', '10', '9']) {
    await sql.unsafe(`insert into ${schema}.accounts values ($1, $2)`, [code, `holder of ${code}`]);
  }
  for (let i = 0n; i < 7n; i++) {
    await sql.unsafe(`insert into ${schema}.big values ($1, $2)`, [String(BIG + i * 2n), `big ${i}`]);
  }
});

afterAll(async () => {
  if (sql) {
    await sql.unsafe(`drop schema if exists ${schema} cascade`);
    await sql.end({ timeout: 5 });
  }
});

function connector(options: Partial<PostgresSourceOptions>): Connector {
  return postgresConnector({ name: 'erp', url: DB_URL, query: `select * from ${schema}.customers`, idColumn: 'id', batchSize: 3, ...options });
}

async function collect(c: Connector, watermark: string | null = null): Promise<PulledRow[]> {
  const out: PulledRow[] = [];
  for await (const row of c.rows({ watermark })) out.push(row);
  return out;
}

function values(rows: PulledRow[]): Record<string, unknown>[] {
  return rows.map((r) => {
    if (r.kind !== 'row') throw new Error(`expected a row, got ${JSON.stringify(r)}`);
    return r.values;
  });
}

async function rejection(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    return err as SourceError;
  }
  throw new Error('expected the pull to reject');
}

describe('postgresConnector: paging', () => {
  it('streams every row in id order across several pages, without duplicates or gaps', async () => {
    db();
    const rows = await collect(connector({ batchSize: 3 }));
    expect(values(rows).map((v) => v.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(values(rows)[0]).toMatchObject({ id: 1, name: 'Customer 1' });
  });

  it.each([1, 2, 5, 10, 11, 1000])('reads the same rows with batchSize %i', async (batchSize) => {
    db();
    const rows = await collect(connector({ batchSize }));
    expect(values(rows).map((v) => v.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('pages by text ids, in the database order, without duplicates or gaps', async () => {
    const expected = (await db().unsafe(`select code from ${schema}.accounts order by code`)).map((r) => r.code as string);
    const rows = await collect(connector({ query: `select * from ${schema}.accounts`, idColumn: 'code', batchSize: 3 }));
    const codes = values(rows).map((v) => v.code);
    expect(codes).toEqual(expected);
    expect(new Set(codes).size).toBe(11);
    expect(values(rows).find((v) => v.code === 'A-1')).toEqual({ code: 'A-1', holder: 'holder of A-1' });
  });

  it('pages by bigint ids beyond 2^53 without losing rows', async () => {
    db();
    const rows = await collect(connector({ query: `select * from ${schema}.big`, batchSize: 2 }));
    const ids = values(rows).map((v) => String(v.id));
    expect(ids).toEqual(Array.from({ length: 7 }, (_, i) => String(BIG + BigInt(i) * 2n)));
  });

  it('wraps a query with its own columns, filters and joins without editing it', async () => {
    db();
    const rows = await collect(
      connector({
        query: `select c.id as customer_id, upper(c.name) as shout from ${schema}.customers c where c.id % 2 = 0`,
        idColumn: 'customer_id',
        batchSize: 2,
      }),
    );
    expect(values(rows)).toEqual([
      { customer_id: 2, shout: 'CUSTOMER 2' },
      { customer_id: 4, shout: 'CUSTOMER 4' },
      { customer_id: 6, shout: 'CUSTOMER 6' },
      { customer_id: 8, shout: 'CUSTOMER 8' },
      { customer_id: 10, shout: 'CUSTOMER 10' },
    ]);
  });

  it('keeps a date column as the text the database holds', async () => {
    db();
    const rows = await collect(connector({ batchSize: 100 }));
    expect(values(rows)[2]!.birth).toBe('1973-03-12');
    expect(values(rows)[2]!.updated_at).toBeInstanceOf(Date);
  });

  it('reads an empty result as no rows', async () => {
    db();
    expect(await collect(connector({ query: `select * from ${schema}.customers where false` }))).toEqual([]);
  });

  it('names its location without credentials', () => {
    const c = postgresConnector({ name: 'erp', url: 'postgres://reader:hunter2@db.example:6543/crm', query: 'select 1 as id', idColumn: 'id', batchSize: 10 });
    expect(c.location).toBe('query on db.example:6543/crm');
    expect(c.location).not.toContain('hunter2');
  });
});

describe('postgresConnector: incremental pulls', () => {
  it('reads only rows with updated_at at or after the watermark, across pages', async () => {
    db();
    const rows = await collect(connector({ updatedAt: 'updated_at', batchSize: 2 }), '2024-01-05T12:00:00.000Z');
    expect(values(rows).map((v) => v.id)).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('compares the watermark as an instant whatever its offset', async () => {
    db();
    // 2024-01-08T14:00:00+02:00 is 12:00 UTC, when row 8 changed
    const rows = await collect(connector({ updatedAt: 'updated_at', batchSize: 2 }), '2024-01-08T14:00:00+02:00');
    expect(values(rows).map((v) => v.id)).toEqual([8, 9, 10]);
  });

  it('reads everything without a watermark even with updatedAt set', async () => {
    db();
    const rows = await collect(connector({ updatedAt: 'updated_at' }));
    expect(rows).toHaveLength(10);
  });

  it('reads nothing when nothing changed since the watermark', async () => {
    db();
    expect(await collect(connector({ updatedAt: 'updated_at' }), '2030-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('reads rows without a change time on every incremental pull', async () => {
    db();
    // A query that gives rows 2 and 9 no updated_at: they cannot be placed before the watermark.
    const query = `select id, name, case when id in (2, 9) then null else updated_at end as updated_at from ${schema}.customers`;
    const rows = await collect(connector({ query, updatedAt: 'updated_at', batchSize: 2 }), '2024-01-08T12:00:00Z');
    expect(values(rows).map((v) => v.id)).toEqual([2, 8, 9, 10]);
  });

  it('accepts a query that ends in a semicolon', async () => {
    db();
    const rows = await collect(connector({ query: `select * from ${schema}.customers where id <= 4;  `, batchSize: 3 }));
    expect(values(rows).map((v) => v.id)).toEqual([1, 2, 3, 4]);
  });

  it('ignores the watermark when the source has no updatedAt column', async () => {
    db();
    expect(await collect(connector({}), '2030-01-01T00:00:00.000Z')).toHaveLength(10);
  });
});

describe('postgresConnector: failures', () => {
  it('rejects a syntax error with a SourceError that is not retryable', async () => {
    db();
    const err = await rejection(collect(connector({ query: 'selec id from nowhere' })));
    expect(err.retryable).toBe(false);
    expect(err.source).toBe('erp');
    expect(err.message).toContain('query failed');
  });

  it('rejects a missing table with a SourceError that is not retryable', async () => {
    db();
    const err = await rejection(collect(connector({ query: `select * from ${schema}.no_such_table` })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('no_such_table');
  });

  it('rejects an id column the query does not return, not retryable', async () => {
    db();
    const err = await rejection(collect(connector({ idColumn: 'customer_no' })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('customer_no');
  });

  it('rejects a null id on a page boundary: paging cannot go on from it', async () => {
    db();
    const c = connector({ query: `select null::integer as id, name from ${schema}.customers`, batchSize: 3 });
    const seen: PulledRow[] = [];
    let err: unknown;
    try {
      for await (const row of c.rows({ watermark: null })) seen.push(row);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).retryable).toBe(false);
    expect((err as SourceError).message).toContain('"id"');
    expect(seen).toHaveLength(3);
  });

  it('rejects an unreachable server with a retryable SourceError', async () => {
    const err = await rejection(collect(connector({ url: 'postgres://postgres@127.0.0.1:1/postgres' })));
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('query failed');
  });
});

describe('createConnector for PostgreSQL', () => {
  const settings = (urlEnv: string) =>
    sourceSchema.parse({
      name: 'erp',
      kind: 'postgres',
      id: 'id',
      urlEnv,
      query: `select * from ${schema}.customers`,
      batchSize: 4,
      fields: { lastName: 'name' },
    });

  it('throws a SourceError naming the variable when the urlEnv secret is not set', () => {
    const lookups: string[] = [];
    let err: unknown;
    try {
      createConnector(settings('ERP_DATABASE_URL'), (name) => {
        lookups.push(name);
        return undefined;
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).retryable).toBe(false);
    expect((err as SourceError).message).toContain('ERP_DATABASE_URL');
    expect(lookups).toEqual(['ERP_DATABASE_URL']);
  });

  it('reads the connection string from the secret and pulls the rows', async () => {
    db();
    const c = createConnector(settings('ERP_DATABASE_URL'), (name) => (name === 'ERP_DATABASE_URL' ? DB_URL : undefined));
    const rows = await collect(c);
    expect(values(rows).map((v) => v.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
