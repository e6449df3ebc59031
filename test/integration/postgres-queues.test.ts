import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopApi, type ShopApi } from '../../src/demo/shop-api.js';
import type { Queue } from 'bullmq';
import { enqueueRun } from '../../src/queue/enqueue-run.js';
import { resumeRun } from '../../src/queue/resume-run.js';
import { followRun } from '../../src/cli/follow-run.js';
import { twoSourceFixture, type TwoSourceFixture } from '../helpers/fixtures.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { createTestDatabase, requireServices, type TestDatabase } from '../helpers/services.js';

/** Without Redis, the same flow runs on BullMQ's PostgreSQL backend in goldrun's own database. */
describe('queues on PostgreSQL instead of Redis', () => {
  let db: TestDatabase;
  let fixture: TwoSourceFixture;
  let shop: ShopApi;
  let pipeline: TestPipeline | undefined;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    fixture = await twoSourceFixture(60, 3);
    shop = await startShopApi(fixture.systems.shop, { token: 't' });
    pipeline = await startTestPipeline({ databaseUrl: db.url, queue: { kind: 'postgres' }, failpoints: 'cluster@1', secrets: () => 't' });
  });

  const first = () => {
    if (!pipeline) throw new Error('the first pipeline is closed');
    return pipeline;
  };

  afterAll(async () => {
    await pipeline?.close();
    await shop?.close();
    await fixture?.cleanup();
    await db?.drop();
  });

  it('runs the whole flow, retries included, with BullMQ tables in the bullmq schema', async () => {
    const pipeline = first();
    const runId = await enqueueRun(pipeline.queues, pipeline.database, fixture.settings(shop.url));
    const summary = await followRun(pipeline.database, runId, { timeoutMs: 60_000, pollMs: 100 });
    expect(summary.status).toBe('completed');
    expect(summary.stages.find((s) => s.stage === 'cluster')).toMatchObject({ status: 'completed', attempts: 2 });
    expect(summary.goldenRecords.total).toBeGreaterThan(0);
    const [jobs] = await pipeline.database.sql<{ n: number }[]>`
      select count(*)::int as n from information_schema.tables where table_schema = 'bullmq'`;
    expect(jobs!.n).toBeGreaterThan(0);
    const [xref] = await pipeline.database.sql<{ n: number }[]>`select count(*)::int as n from xref`;
    expect(xref!.n).toBe(fixture.systems.crm.rows.length - 2 + fixture.systems.shop.length);
  });

  it('resumes a failed run from its failed stage, as the board\'s button does', async () => {
    // Two pipelines on BullMQ's Postgres backend hold ~95 connections, near a default server's
    // 100 with another test file running beside this one: the first has done its work.
    await pipeline?.close();
    pipeline = undefined;
    const db2 = await createTestDatabase();
    const failing = await startTestPipeline({ databaseUrl: db2.url, queue: { kind: 'postgres' }, failpoints: 'survive@1|2|3', secrets: () => 't' });
    try {
      const runId = await enqueueRun(failing.queues, failing.database, fixture.settings(shop.url));
      expect((await followRun(failing.database, runId, { timeoutMs: 60_000, pollMs: 100 })).status).toBe('failed');
      const queues = new Map<string, Queue>();
      const queue = (name: string) => queues.get(name) ?? queues.set(name, failing.queues.queue(name)).get(name)!;
      expect(await resumeRun(failing.database, queue, runId)).toEqual(['survive']);
      const status = async () => (await failing.database.sql<{ status: string }[]>`select status from runs where id = ${runId}`)[0]!.status;
      await expect.poll(status, { timeout: 60_000, interval: 200 }).toBe('completed');
      const summary = await followRun(failing.database, runId, { timeoutMs: 5_000, pollMs: 100 });
      expect(summary.stages.find((s) => s.stage === 'survive')).toMatchObject({ status: 'completed', attempts: 4 });
      expect(summary.stages.find((s) => s.stage === 'cluster')).toMatchObject({ status: 'completed', attempts: 1 });
      expect(summary.goldenRecords.total).toBeGreaterThan(0);
      for (const q of queues.values()) await q.close();
    } finally {
      await failing.close();
      await db2.drop();
    }
  });
});
