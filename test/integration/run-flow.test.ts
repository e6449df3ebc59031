import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config/settings-schema.js';
import { startShopApi, type ShopApi } from '../../src/demo/shop-api.js';
import { runSummary } from '../../src/pipeline/run-summary.js';
import { enqueueRun } from '../../src/queue/enqueue-run.js';
import { followRun } from '../../src/cli/follow-run.js';
import { twoSourceFixture, type TwoSourceFixture } from '../helpers/fixtures.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { createTestDatabase, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

/**
 * A two-source run on real Redis and Postgres: a CRM CSV export with two broken rows and a
 * web shop API that is down for the first pull attempt.
 */
describe('a run over a CSV export and an HTTP API', () => {
  let db: TestDatabase;
  let redis: ReturnType<typeof redisPrefix>;
  let fixture: TwoSourceFixture;
  let shop: ShopApi;
  let pipeline: TestPipeline;
  let settings: Settings;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    redis = redisPrefix();
    fixture = await twoSourceFixture();
    // Two 503s: the connector's own retry (retries: 1) sees both, so the pull job's first attempt fails.
    shop = await startShopApi(fixture.systems.shop, { token: 'secret-token', failFirst: 2 });
    const base = fixture.settings(shop.url);
    settings = {
      ...base,
      sources: base.sources.map((s) => (s.kind === 'http' ? { ...s, retries: 1, retryDelayMs: 10 } : s)),
    };
    pipeline = await startTestPipeline({
      databaseUrl: db.url,
      queue: { kind: 'redis', prefix: redis.prefix },
      secrets: (name) => (name === 'DEMO_SHOP_TOKEN' ? 'secret-token' : undefined),
    });
  });

  afterAll(async () => {
    await pipeline?.close();
    await shop?.close();
    await fixture?.cleanup();
    await redis?.cleanup();
    await db?.drop();
  });

  let firstRun: string;

  it('completes after the failing pull is retried, quarantining the broken rows', async () => {
    firstRun = await enqueueRun(pipeline.queues, pipeline.database, settings);
    const summary = await followRun(pipeline.database, firstRun, { timeoutMs: 60_000, pollMs: 100 });
    expect(summary.error).toBeNull();
    expect(summary.status).toBe('completed');

    const shopStage = summary.stages.find((s) => s.stage === 'pull:shop')!;
    expect(shopStage.status).toBe('completed');
    expect(shopStage.attempts).toBe(2);
    expect(summary.sources.shop!.pulled).toBe(fixture.systems.shop.length);

    const crmRows = fixture.systems.crm.rows.length;
    expect(summary.sources.crm).toEqual({ pulled: crmRows - 2, quarantined: 2 });
    const quarantined = await pipeline.database.sql<{ row_number: number; field: string; reason: string }[]>`
      select row_number, field, reason from quarantined_rows where run_id = ${firstRun} order by row_number`;
    expect(quarantined).toEqual([
      { row_number: 7, field: '', reason: 'expected 11 fields, found 4' },
      { row_number: 11, field: 'customer_id', reason: 'record id is missing' },
    ]);
  });

  it('gives every source record a cross-reference row and every customer a golden record', async () => {
    const { sql } = pipeline.database;
    const [records] = await sql<{ n: number }[]>`select count(*)::int as n from source_records where deployment = ${settings.name}`;
    const [linked] = await sql<{ n: number; golden: number }[]>`
      select count(*)::int as n, count(golden_id)::int as golden from xref where deployment = ${settings.name}`;
    expect(records!.n).toBe(fixture.systems.crm.rows.length - 2 + fixture.systems.shop.length);
    expect(linked).toEqual({ n: records!.n, golden: records!.n });
    const orphans = await sql`
      select x.golden_id from xref x left join golden_records g on g.golden_id = x.golden_id
      where x.deployment = ${settings.name} and (g.golden_id is null or g.status <> 'active')`;
    expect(orphans).toHaveLength(0);
    const summary = (await runSummary(pipeline.database, firstRun))!;
    const [golden] = await sql<{ n: number }[]>`select count(*)::int as n from golden_records where deployment = ${settings.name} and status = 'active'`;
    expect(golden!.n).toBe(summary.clusters);
    expect(summary.goldenRecords.created).toBe(summary.clusters);
    // Records of one customer in both systems end up in one golden record.
    const [multi] = await sql<{ n: number }[]>`
      select count(*)::int as n from (select golden_id from xref where deployment = ${settings.name} group by golden_id having count(distinct source) > 1) m`;
    expect(multi!.n).toBeGreaterThan(20);
  });

  it('changes nothing when run again on the same input', async () => {
    const { sql } = pipeline.database;
    const before = await sql<{ source: string; source_id: string; golden_id: string }[]>`
      select source, source_id, golden_id from xref where deployment = ${settings.name} order by source, source_id`;
    const second = await enqueueRun(pipeline.queues, pipeline.database, settings);
    const summary = await followRun(pipeline.database, second, { timeoutMs: 60_000, pollMs: 100 });
    expect(summary.status).toBe('completed');
    // Both sources have an updated-at column: the second pull reads only rows at or after the watermark.
    expect(summary.sources.crm!.pulled).toBeLessThan(5);
    expect(summary.sources.shop!.pulled).toBeLessThan(5);
    expect(summary.goldenRecords).toEqual({ total: summary.clusters, created: 0, updated: 0, unchanged: summary.clusters, retired: 0 });
    const after = await sql`select source, source_id, golden_id from xref where deployment = ${settings.name} order by source, source_id`;
    expect(after).toEqual(before);
    const [versions] = await sql<{ max: number }[]>`select max(version)::int as max from golden_records where deployment = ${settings.name}`;
    expect(versions!.max).toBe(1);
  });
});
