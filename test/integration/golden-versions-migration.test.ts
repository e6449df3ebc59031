import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrationsFolder, runMigrations } from '../../src/db/migrate.js';
import { createTestDatabase, requireServices, type TestDatabase } from '../helpers/services.js';

/** The migration that stopped storing current versions in golden_versions (0017). */
const UPGRADE = '0017_golden_versions_superseded_only';

/**
 * A deployment upgraded from the schema that kept every version, the current one too, in
 * golden_versions: its history must read the same afterwards, and the next change of a
 * golden record must be versioned by the trigger as a commit used to version it.
 */
describe('golden_versions upgrade to superseded versions only', () => {
  let db: TestDatabase;
  let database: Database;
  let before: string;
  /** Migrations applied before the upgrade. */
  let applied: number;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    database = await openDatabase({ url: db.url, max: 2 });
    // The migrations as they were before the upgrade.
    before = await mkdtemp(join(tmpdir(), 'goldrun-migrations-'));
    await cp(migrationsFolder(), before, { recursive: true });
    const journalFile = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
    applied = journal.entries.findIndex((e) => e.tag === UPGRADE);
    expect(applied).toBeGreaterThan(0);
    await writeFile(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, applied) }));
    await migrate(drizzle(database.sql), { migrationsFolder: before });
  });

  afterAll(async () => {
    await database?.close();
    await db?.drop();
    if (before) await rm(before, { recursive: true, force: true });
  });

  it('keeps each golden record\'s history as it read, and versions the next change through the trigger', async () => {
    const { sql } = database;
    // As the old commit left them: g1 created by r1 and updated by r2, g2 created by r1 and retired by r2.
    await sql`
      insert into golden_records (golden_id, deployment, status, attrs, lineage, content_hash, member_count, merged_into, version, created_run_id, updated_run_id, updated_at)
      values ('g1', 'd', 'active', '{"name":"ann b"}', '{}', 'h2', 2, null, 2, 'r1', 'r2', '2026-01-02T00:00:00Z'),
             ('g2', 'd', 'retired', '{"name":"bo"}', '{}', 'h3', 1, 'g1', 2, 'r1', 'r2', '2026-01-02T00:00:00Z')`;
    await sql`
      insert into golden_versions (golden_id, version, deployment, run_id, change, status, attrs, lineage, member_count, merged_into, valid_from, valid_to)
      values ('g1', 1, 'd', 'r1', 'created', 'active', '{"name":"ann"}', '{}', 1, null, '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'),
             ('g1', 2, 'd', 'r2', 'updated', 'active', '{"name":"ann b"}', '{}', 2, null, '2026-01-02T00:00:00Z', null),
             ('g2', 1, 'd', 'r1', 'created', 'active', '{"name":"bo"}', '{}', 1, null, '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'),
             ('g2', 2, 'd', 'r2', 'retired', 'retired', '{"name":"bo"}', '{}', 1, 'g1', '2026-01-02T00:00:00Z', null)`;
    const versionsIn = (from: 'golden_versions' | 'golden_history') => sql`
      select golden_id, version, run_id, change, status, attrs, member_count, merged_into,
        valid_from::text as valid_from, valid_to::text as valid_to
      from ${sql(from)} order by golden_id, version`;
    const history = () => versionsIn('golden_history');
    const stored = (await versionsIn('golden_versions')).map((r) => ({ ...r }));

    const result = await runMigrations(database);
    expect(result.applied).toBe(result.total - applied);
    expect((await history()).map((r) => ({ ...r }))).toEqual(stored);
    const kept = await sql<{ golden_id: string; version: number }[]>`select golden_id, version from golden_versions order by golden_id, version`;
    expect(kept.map((r) => `${r.golden_id}@${r.version}`)).toEqual(['g1@1', 'g2@1']);

    // A run r3 changes g1 again: version 2 is closed as it stood, version 3 is current.
    await sql`
      update golden_records set attrs = '{"name":"ann c"}', content_hash = 'h4', version = version + 1, updated_run_id = 'r3', updated_at = now()
      where golden_id = 'g1'`;
    // A write that does not move the version on (as a rollback putting one back) writes no version.
    await sql`update golden_records set member_count = 1 where golden_id = 'g2'`;
    const after = await history();
    expect(after.map((r) => [r.golden_id, r.version, r.run_id, r.change, r.attrs, r.valid_to === null])).toEqual([
      ['g1', 1, 'r1', 'created', { name: 'ann' }, false],
      ['g1', 2, 'r2', 'updated', { name: 'ann b' }, false],
      ['g1', 3, 'r3', 'updated', { name: 'ann c' }, true],
      ['g2', 1, 'r1', 'created', { name: 'bo' }, false],
      ['g2', 2, 'r2', 'retired', { name: 'bo' }, true],
    ]);
    // The closed version keeps when it began, and ends when the next began.
    expect(after[1]!.valid_from).toBe(stored[1]!.valid_from);
    expect(after[1]!.valid_to).toBe(after[2]!.valid_from);
  });
});
