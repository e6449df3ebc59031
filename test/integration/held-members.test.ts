import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { clusterRunRecords } from '../../src/pipeline/cluster-records.js';
import type { PipelineContext } from '../../src/pipeline/context.js';
import { noFailpoints } from '../../src/pipeline/failpoints.js';
import { loadMatchRecords } from '../../src/pipeline/load-records.js';
import { heldMembers, releaseHeldMembers, releaseMatchPlan, runMatchPlan } from '../../src/pipeline/match-plan-cache.js';
import { runSettings } from '../../src/pipeline/runs.js';
import { surviveRunClusters } from '../../src/pipeline/survive-clusters.js';
import { survivorshipPolicy } from '../../src/pipeline/survivorship-policy.js';
import { valueOf } from '../../src/model/columns.js';
import { createThreadPool, type ThreadPool } from '../../src/score/thread-pool.js';
import { cliEnv, migrateAndRun } from '../helpers/cli.js';
import { crmShopSettingsYaml } from '../helpers/fixtures.js';
import { createTestDatabase, REDIS_URL, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

/**
 * The survive stage takes a full run's members from the records the match load left in this
 * process, instead of reading each from Postgres again: only while no record changed since,
 * and it must survive exactly as from the table, page by page.
 */
describe('members held from the match load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldrun-held-members-'));
  let db: TestDatabase;
  let redis: ReturnType<typeof redisPrefix>;
  let database: Database;
  let pool: ThreadPool;
  let ctx: PipelineContext;
  let runId: string;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    redis = redisPrefix();
    const crm = ['id,first,last,email,city,state,updated'];
    const shop = ['id,first,last,email,city,state,updated'];
    for (let i = 0; i < 120; i++) {
      // Change times to the microsecond, to the second, and none; states only survivorship reads.
      const updated = i % 3 === 0 ? `2024-03-0${1 + (i % 9)}T10:11:12.${String(123456 + i).padStart(6, '0')}Z` : i % 3 === 1 ? '2023-12-31T23:59:59Z' : '';
      crm.push(`c${i},Ann${i},Lee${i},person${i}@example.org,${i % 4 === 0 ? '' : 'Zürich'},${i % 5 === 0 ? '' : 'ZH'},${updated}`);
      // Half of them in the shop too, some with other values: clusters across sources, rules to apply.
      if (i % 2 === 0) shop.push(`s${i},Ann${i},Lee${i},person${i}@example.org,${i % 6 === 0 ? 'Genève' : 'Zürich'},${i % 8 === 0 ? 'GE' : ''},2024-0${1 + (i % 9)}-15T08:00:00.5Z`);
    }
    // A source id and a value holding the packed text's separator: Postgres' text cannot carry them.
    crm.push('c\u001fodd,Bo,Odd,bo@example.org,Bern\u001fOst,BE,2024-01-01T00:00:00Z');
    writeFileSync(join(dir, 'crm.csv'), `${crm.join('\n')}\n`);
    writeFileSync(join(dir, 'shop.csv'), `${shop.join('\n')}\n`);
    writeFileSync(join(dir, 'settings.yaml'), crmShopSettingsYaml('members', '[[email], [lastName]]', { city: 'mostFrequent', state: 'aggregate' }));
    const env = cliEnv({ DATABASE_URL: db.url, REDIS_URL, GOLDRUN_QUEUE_PREFIX: redis.prefix });
    runId = (await migrateAndRun(join(dir, 'settings.yaml'), env)).runId as string;
    database = await openDatabase({ url: db.url, max: 6 });
    pool = createThreadPool(2);
    ctx = { database, log: pino({ level: 'silent' }), runner: pool, secrets: () => undefined, failpoints: noFailpoints };
  }, 120_000);

  afterAll(async () => {
    releaseMatchPlan();
    releaseHeldMembers();
    await pool?.destroy();
    await database?.close();
    await redis?.cleanup();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const staged = async () => database.sql<Array<{ cluster_key: number; attrs: unknown; lineage: unknown; member_count: number; content_hash: string; minted_id: string }>>`
    select cluster_key, attrs, lineage, member_count, content_hash, minted_id from run_golden where run_id = ${runId} order by cluster_key`;

  /** The run's plan loaded and clustered in this process, as a worker running the whole run does. */
  const clusterHeld = async () => {
    releaseHeldMembers();
    await runMatchPlan(database, runId, await runSettings(database, runId));
    await clusterRunRecords(ctx, runId, () => {});
  };

  it('loads each record\'s source id, change time and unscored attributes as Postgres holds them', async () => {
    const settings = await runSettings(database, runId);
    const attributes = survivorshipPolicy(settings).attributes;
    // Batches of 40: the odd source id makes one of them fall back to reading columns.
    const loaded = await loadMatchRecords(database.sql, settings, 40, attributes);
    const rows = await database.sql<Array<{ id: number; source_id: string; updated_ms: number | null; state: string | null }>>`
      select id, source_id, (extract(epoch from source_updated_at) * 1000)::float8 as updated_ms, attrs->>'state' as state
      from source_records where deployment = 'members' and deleted_at is null and record_class = 'customer' order by id`;
    expect([...loaded.ids]).toEqual(rows.map((r) => r.id));
    const m = loaded.members!;
    expect(Object.keys(m.extra)).toEqual(['state']);
    expect(rows.map((_, i) => valueOf(m.sourceIds, i))).toEqual(rows.map((r) => r.source_id));
    expect([...m.updatedMs]).toEqual(rows.map((r) => r.updated_ms ?? Number.NaN));
    expect(rows.map((_, i) => valueOf(m.extra.state!, i))).toEqual(rows.map((r) => r.state || null));
    expect(rows.some((r) => r.updated_ms === null)).toBe(true);
    expect(rows.some((r) => r.updated_ms !== null && r.updated_ms % 1000 !== 0)).toBe(true);
    expect(rows.some((r) => r.source_id.includes('\u001f'))).toBe(true);
  });

  it('survives the same from held members as from the table', async () => {
    await clusterHeld();
    const fromMemory = await surviveRunClusters(ctx, runId, () => {});
    const memoryRows = await staged();
    // Survive lets them go: the second pass reads every page from Postgres.
    const fromTable = await surviveRunClusters(ctx, runId, () => {});
    expect(fromMemory.membersFromMemory).toBe(181);
    expect(fromTable.membersFromMemory).toBe(0);
    expect({ ...fromMemory, membersFromMemory: 0 }).toEqual(fromTable);
    expect(memoryRows).toEqual(await staged());
    expect(fromMemory.multiSourceRecords).toBeGreaterThan(50);
    // The odd source id is in its golden record's lineage, from memory as through the table's JSON path.
    expect(memoryRows.some((r) => JSON.stringify(r.lineage).includes('c\\u001fodd'))).toBe(true);
  });

  it('reads from Postgres once a record changed since the load', async () => {
    await clusterHeld();
    const settings = await runSettings(database, runId);
    expect(await heldMembers(database.sql, runId, settings, ['state'])).not.toBeNull();
    expect(await heldMembers(database.sql, 'r-another-run', settings, ['state'])).toBeNull();
    expect(await heldMembers(database.sql, runId, settings, ['nickname'])).toBeNull();
    await database.sql`update source_records set updated_at = now() + interval '1 minute' where deployment = 'members' and source_id = 'c7'`;
    expect(await heldMembers(database.sql, runId, settings, ['state'])).toBeNull();
    const metrics = await surviveRunClusters(ctx, runId, () => {});
    expect(metrics.membersFromMemory).toBe(0);
    expect(metrics.goldenRecords).toBeGreaterThan(100);
  });

  it('reads a page from Postgres when a member of it is not held', async () => {
    const fromTable = await surviveRunClusters(ctx, runId, () => {});
    const expected = await staged();
    releaseHeldMembers();
    const { ids } = await runMatchPlan(database, runId, await runSettings(database, runId));
    // As if the load had not seen this record: its page (here the run's only one) comes from the table.
    ids[7] = -1;
    releaseMatchPlan();
    const metrics = await surviveRunClusters(ctx, runId, () => {});
    expect(metrics.membersFromMemory).toBe(0);
    expect(metrics).toEqual(fromTable);
    expect(await staged()).toEqual(expected);
  });
});
