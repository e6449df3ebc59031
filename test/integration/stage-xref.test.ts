import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { stageXref } from '../../src/pipeline/stage-xref.js';
import { openMigratedDatabase } from '../helpers/database.js';
import { createTestDatabase, requireServices, type TestDatabase } from '../helpers/services.js';

/**
 * The commit's cross-reference rows, staged from the run's clusters: every clustered record
 * once, with its cluster's minted id, laid down in the order of xref's key, which a first
 * load's insert keeps, so that the key is then built from sorted rows.
 */
describe('stageXref', () => {
  let db: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    database = await openMigratedDatabase(db.url, 2);
    const { sql } = database;
    // 3,000 records of two sources whose source ids (hashes) have nothing to do with their
    // record ids; clusters of one to three consecutive records, keyed by their first.
    await sql`
      insert into source_records (deployment, source, source_id, raw, content_hash, first_run_id, last_run_id)
      select 'd', case when i % 3 = 0 then 'billing' else 'crm' end, md5(i::text), '{}'::jsonb, md5(i::text), 'base', 'base'
      from generate_series(1, 3000) as i order by i`;
    await sql`
      insert into run_clusters (run_id, record_id, cluster_key)
      select 'run-x', id, id - ((id - 1) % 3) * (id % 2) from source_records`;
    await sql`
      insert into run_golden (run_id, cluster_key, attrs, lineage, member_count, content_hash, minted_id)
      select 'run-x', cluster_key, '{}'::jsonb, '[]'::json, count(*), 'h', 'g' || cluster_key from run_clusters group by cluster_key`;
  });
  afterAll(async () => {
    await database?.close();
    await db?.drop();
  });

  it('stages every clustered record once, with its cluster\'s minted id', async () => {
    const { sql } = database;
    expect(await stageXref(sql, 'run-x')).toBe(3000);
    const wrong = await sql<{ n: number }[]>`
      select count(*)::int as n from run_xref x
      join run_clusters c on c.run_id = x.run_id and c.record_id = x.source_record_id
      join source_records r on r.id = x.source_record_id
      where x.run_id = 'run-x' and (x.cluster_key <> c.cluster_key or x.minted_id <> 'g' || c.cluster_key
        or x.source <> r.source or x.source_id <> r.source_id)`;
    expect(wrong[0]!.n).toBe(0);
    const [distinct] = await sql<{ records: number }[]>`select count(distinct source_record_id)::int as records from run_xref where run_id = 'run-x'`;
    expect(distinct?.records).toBe(3000);
  });

  it('lays the rows down in the order of the cross-reference\'s key', async () => {
    const { sql } = database;
    // As after the last run's staging was cleared: rows staged over a deleted run's go wherever there is room.
    await sql`truncate run_xref`;
    await stageXref(sql, 'run-x');
    const laid = await sql<{ k: string }[]>`select source || '/' || source_id as k from run_xref where run_id = 'run-x' order by ctid`;
    const sorted = await sql<{ k: string }[]>`select source || '/' || source_id as k from run_xref where run_id = 'run-x' order by source, source_id`;
    expect(laid.length).toBe(3000);
    expect(laid.map((r) => r.k)).toEqual(sorted.map((r) => r.k));
  });
});
