import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProtocolMux, type MuxServer } from '../../src/db/embedded/protocol-mux.js';

/** Several wire-protocol clients sharing PGlite's single session. */
describe('protocol multiplexer over PGlite', () => {
  let db: PGlite;
  let mux: MuxServer;

  beforeAll(async () => {
    db = await PGlite.create();
    mux = await startProtocolMux(db);
  });

  afterAll(async () => {
    await mux.close();
    await db.close();
  });

  it('serves concurrent queries from several postgres.js and node-postgres connections', async () => {
    const a = postgres(mux.url, { max: 4, onnotice: () => {} });
    const b = new pg.Pool({ connectionString: mux.url, max: 4 });
    try {
      await a`create table t (id int primary key, v text)`;
      await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => a`insert into t values (${i}, ${`a${i}`})`),
        ...Array.from({ length: 20 }, (_, i) => b.query('insert into t values ($1, $2)', [100 + i, `b${i}`])),
      ]);
      const n = (await a<{ n: number }[]>`select count(*)::int as n from t`)[0]!.n;
      expect(n).toBe(40);
      // Unnamed prepared statements from two clients must not collide.
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => b.query('select v from t where id = $1', [100 + i])));
      expect(results.map((r) => r.rows[0].v)).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`));
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('keeps a transaction to its client: others wait and never see uncommitted rows', async () => {
    const a = postgres(mux.url, { max: 2, onnotice: () => {} });
    try {
      await a`create table tx (id int)`;
      const seen: number[] = [];
      const inside = a.begin(async (tx) => {
        await tx`insert into tx values (1)`;
        await new Promise((r) => setTimeout(r, 150));
        await tx`insert into tx values (2)`;
        throw new Error('roll back');
      }).catch((e: Error) => e.message);
      await new Promise((r) => setTimeout(r, 30));
      const n = (await a<{ n: number }[]>`select count(*)::int as n from tx`)[0]!.n;
      seen.push(n);
      expect(await inside).toBe('roll back');
      expect(seen).toEqual([0]);
      const m = (await a<{ m: number }[]>`select count(*)::int as m from tx`)[0]!.m;
      expect(m).toBe(0);
    } finally {
      await a.end();
    }
  });

  it('delivers NOTIFY to the clients that LISTEN, not to the notifier', async () => {
    const listener = new pg.Client({ connectionString: mux.url });
    const other = new pg.Client({ connectionString: mux.url });
    const notifier = postgres(mux.url, { max: 1, onnotice: () => {} });
    await listener.connect();
    await other.connect();
    try {
      const received: string[] = [];
      const stray: string[] = [];
      listener.on('notification', (m) => received.push(`${m.channel}:${m.payload}`));
      other.on('notification', (m) => stray.push(`${m.channel}:${m.payload}`));
      await listener.query('LISTEN jobs');
      await other.query('LISTEN other_channel');
      await notifier`select pg_notify('jobs', 'hello')`;
      await new Promise((r) => setTimeout(r, 50));
      expect(received).toEqual(['jobs:hello']);
      expect(stray).toEqual([]);
    } finally {
      await listener.end();
      await other.end();
      await notifier.end();
    }
  });

  it('rolls back the transaction of a client that disconnects inside it', async () => {
    const quitter = new pg.Client({ connectionString: mux.url });
    await quitter.connect();
    await quitter.query('create table gone (id int)');
    await quitter.query('begin');
    await quitter.query('insert into gone values (1)');
    quitter.end();
    const other = postgres(mux.url, { max: 1, onnotice: () => {} });
    try {
      const n = (await other<{ n: number }[]>`select count(*)::int as n from gone`)[0]!.n;
      expect(n).toBe(0);
    } finally {
      await other.end();
    }
  });
});
