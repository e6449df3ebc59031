import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database, type Sql } from '../../src/db/client.js';
import { changedSince, incrementalScope } from '../../src/pipeline/incremental.js';
import { openMigratedDatabase } from '../helpers/database.js';
import { createTestDatabase, requireServices, type TestDatabase } from '../helpers/services.js';

/**
 * Which records an incremental run counts as changed since its base, told apart at the
 * microsecond: the times below fall inside the millisecond a JS Date would keep of the
 * base's creation and finish. Asked through a client made by openDatabase (drizzle
 * attached) and through a bare connect() client, which postgres.js alone would have
 * serialized a timestamptz parameter for through a Date (client-timestamps.test.ts).
 */
describe('incrementalScope and changedSince', () => {
  let db: TestDatabase;
  let database: Database;
  let bare: Sql;

  const runs = [
    { id: 'earlier', created: '2026-01-01 09:00:00.000000+00', finished: '2026-01-01 09:01:00+00', base: null },
    { id: 'base', created: '2026-01-01 10:00:00.057590+00', finished: '2026-01-01 10:05:00.359896+00', base: null },
    // Created while the base ran: what it wrote is news to the base, whenever it was written.
    { id: 'beside', created: '2026-01-01 10:00:00.099000+00', finished: '2026-01-01 10:02:00+00', base: null },
    { id: 'nightly', created: '2026-01-01 11:00:00.000100+00', finished: null, base: 'base' },
  ];
  // [source id, run that last wrote it, when]
  const records: Array<[string, string, string]> = [
    ['kept-early', 'base', '2026-01-01 10:04:00+00'],
    ['kept-late', 'base', '2026-01-01 10:05:00.359500+00'], // before the finish, after its millisecond
    ['older', 'earlier', '2026-01-01 09:00:30+00'],
    ['after-finish', 'base', '2026-01-01 10:05:00.360000+00'],
    ['by-beside', 'beside', '2026-01-01 10:01:00+00'],
    ['by-nightly', 'nightly', '2026-01-01 11:00:01+00'],
  ];

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    database = await openMigratedDatabase(db.url, 2);
    bare = connect(db.url, { max: 2 });
    const { sql } = database;
    for (const r of runs) {
      await sql`
        insert into runs (id, deployment, status, settings, fingerprint, created_at, finished_at, base_run_id)
        values (${r.id}, 'shop', ${r.finished ? 'completed' : 'running'}, '{}'::jsonb, 'f', ${r.created}::text::timestamptz,
          ${r.finished}::text::timestamptz, ${r.base})`;
    }
    for (const [id, run, at] of records) {
      await sql`
        insert into source_records (deployment, source, source_id, raw, content_hash, attrs, record_class, first_run_id, last_run_id, updated_at)
        values ('shop', 'crm', ${id}, '{}'::jsonb, ${id}, '{}'::jsonb, 'customer', ${run}, ${run}, ${at}::text::timestamptz)`;
    }
  });

  afterAll(async () => {
    await bare?.end({ timeout: 5 });
    await database?.close();
    await db?.drop();
  });

  for (const client of ['openDatabase', 'bare connect()'] as const) {
    it(`counts only runs created after the base as later, through ${client}`, async () => {
      const sql = client === 'openDatabase' ? database.sql : bare;
      const scope = await incrementalScope(sql, 'nightly');
      expect(scope?.baseRunId).toBe('base');
      expect(scope?.laterRunIds.sort()).toEqual(['beside', 'nightly']);
    });

    it(`counts as changed what was written after the base finished or by a later run, through ${client}`, async () => {
      const sql = client === 'openDatabase' ? database.sql : bare;
      const scope = (await incrementalScope(sql, 'nightly'))!;
      const changed = await sql<{ source_id: string }[]>`
        select r.source_id from source_records r where ${changedSince(sql, scope)} order by r.source_id`;
      expect(changed.map((r) => r.source_id)).toEqual(['after-finish', 'by-beside', 'by-nightly']);
    });
  }

  it('has no scope for a run without a base', async () => {
    expect(await incrementalScope(bare, 'base')).toBeNull();
  });
});
