import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { clearStaging } from '../../src/pipeline/clear-staging.js';
import { openMigratedDatabase } from '../helpers/database.js';
import { createTestDatabase, requireServices, type TestDatabase } from '../helpers/services.js';

const TABLES = ['run_clusters', 'run_golden', 'run_touched_records', 'run_xref'] as const;
type Table = (typeof TABLES)[number];

/**
 * A committed run's staging goes: truncated when no other run has rows staged, else only
 * its own rows deleted, and never by waiting on another session's lock.
 */
describe('clearStaging', () => {
  let db: TestDatabase;
  let database: Database;
  let other: postgres.Sql;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    database = await openMigratedDatabase(db.url, 4);
    other = postgres(db.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await other?.end({ timeout: 1 });
    await database?.close();
    await db?.drop();
  });
  beforeEach(async () => {
    await database.sql.unsafe(`truncate ${TABLES.join(', ')}`);
  });

  /** `n` rows of the run in the tables (every staging table unless named). */
  async function stage(runId: string, n: number, tables: ReadonlyArray<Table> = TABLES): Promise<void> {
    const { sql } = database;
    const rows = sql`generate_series(1, ${n}) as i`;
    const inserts: Record<Table, () => Promise<unknown>> = {
      run_clusters: () => sql`insert into run_clusters (run_id, record_id, cluster_key) select ${runId}, i, i from ${rows}`,
      run_golden: () => sql`
        insert into run_golden (run_id, cluster_key, attrs, lineage, member_count, content_hash)
        select ${runId}, i, jsonb_build_object('lastName', 'n' || i), '{}'::json, 1, md5(i::text) from ${rows}`,
      run_touched_records: () => sql`insert into run_touched_records (run_id, record_id) select ${runId}, i from ${rows}`,
      run_xref: () => sql`
        insert into run_xref (run_id, cluster_key, source, source_id, source_record_id) select ${runId}, i, 'crm', 'c' || i, i from ${rows}`,
    };
    for (const t of tables) await inserts[t]();
  }

  async function staged(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const t of TABLES) {
      const rows = await database.sql<{ run_id: string; n: number }[]>`select run_id, count(*)::int as n from ${database.sql(t)} group by run_id`;
      for (const r of rows) counts[`${t}:${r.run_id}`] = r.n;
    }
    return counts;
  }

  /** Pages each table holds on disk: deleted rows keep theirs until a vacuum, a truncate frees them. */
  async function pages(): Promise<number[]> {
    const rows = await database.sql<{ bytes: string }[]>`
      select pg_relation_size(t::regclass)::text as bytes from unnest(${TABLES as unknown as string[]}::text[]) with ordinality as u(t, n) order by n`;
    return rows.map((r) => Number(r.bytes) / 8192);
  }

  it('truncates the tables when only the committed run has rows staged', async () => {
    await stage('run-m', 2000);
    expect((await pages()).every((p) => p > 0)).toBe(true);

    expect(await clearStaging(database.sql, 'run-m')).toBe('truncated');
    expect(await staged()).toEqual({});
    expect(await pages()).toEqual([0, 0, 0, 0]);
    // Nothing staged at all: still a truncate, and nothing to fail on.
    expect(await clearStaging(database.sql, 'run-m')).toBe('truncated');
  });

  it.each(TABLES.flatMap((table) => [['run-a', table], ['run-z', table]] as const))(
    'deletes only its own rows while run %s has rows staged in %s',
    async (otherRun, table) => {
      await stage('run-m', 300);
      await stage(otherRun, 7, [table]);

      expect(await clearStaging(database.sql, 'run-m')).toBe('deleted');
      expect(await staged()).toEqual({ [`${table}:${otherRun}`]: 7 });
    },
  );

  it('does not wait for a lock another session holds on a staging table: it deletes its rows instead', async () => {
    await stage('run-m', 300);
    const reader = await other.reserve();
    try {
      await reader`begin`;
      // What a run of another deployment reading its staging holds until its transaction ends.
      await reader`select count(*) from run_xref`;
      // Waiting for the lock would never end: the reader lets go only after this returns.
      expect(await clearStaging(database.sql, 'run-m')).toBe('deleted');
      expect(await staged()).toEqual({});
    } finally {
      await reader`rollback`;
      reader.release();
    }
    // With the lock gone, the next clear truncates again.
    await stage('run-n', 5);
    expect(await clearStaging(database.sql, 'run-n')).toBe('truncated');
  });
});
