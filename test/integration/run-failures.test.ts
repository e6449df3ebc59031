import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopApi, type ShopApi } from '../../src/demo/shop-api.js';
import { enqueueRun } from '../../src/queue/enqueue-run.js';
import { followRun } from '../../src/cli/follow-run.js';
import { twoSourceFixture, type TwoSourceFixture } from '../helpers/fixtures.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { createTestDatabase, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

const secrets = (name: string) => (name === 'DEMO_SHOP_TOKEN' ? 'secret-token' : undefined);

/** Golden records as a partition of source records with their values, independent of golden ids. */
async function goldenState(pipeline: TestPipeline, deployment: string) {
  const rows = await pipeline.database.sql<{ members: string; attrs: Record<string, unknown> }[]>`
    select string_agg(x.source || '/' || x.source_id, ',' order by x.source, x.source_id) as members, g.attrs
    from golden_records g join xref x on x.golden_id = g.golden_id
    where g.deployment = ${deployment} and g.status = 'active'
    group by g.golden_id, g.attrs order by members`;
  return rows.map((r) => ({ members: r.members, attrs: r.attrs }));
}

describe('failures', () => {
  let fixture: TwoSourceFixture;
  let shop: ShopApi;
  const dbs: TestDatabase[] = [];
  const prefixes: Array<ReturnType<typeof redisPrefix>> = [];
  const pipelines: TestPipeline[] = [];

  async function pipeline(failpoints?: string): Promise<TestPipeline> {
    const db = await createTestDatabase();
    const prefix = redisPrefix();
    dbs.push(db);
    prefixes.push(prefix);
    const p = await startTestPipeline({ databaseUrl: db.url, queue: { kind: 'redis', prefix: prefix.prefix }, failpoints, secrets });
    pipelines.push(p);
    return p;
  }

  beforeAll(async () => {
    await requireServices();
    fixture = await twoSourceFixture(80, 5);
    shop = await startShopApi(fixture.systems.shop, { token: 'secret-token' });
  });

  afterAll(async () => {
    for (const p of pipelines) await p.close();
    await shop?.close();
    await fixture?.cleanup();
    for (const p of prefixes) await p.cleanup();
    for (const d of dbs) await d.drop();
  });

  it('fails the run at once, naming the file, when a source file is missing', async () => {
    const p = await pipeline();
    const base = fixture.settings(shop.url);
    const settings = { ...base, sources: base.sources.map((s) => (s.kind === 'csv' ? { ...s, path: `${fixture.dir}/missing.csv` } : s)) };
    const runId = await enqueueRun(p.queues, p.database, settings);
    const summary = await followRun(p.database, runId, { timeoutMs: 30_000, pollMs: 100 });
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/^pull:crm: source crm: cannot read .*missing\.csv \(ENOENT\)$/);
    const crm = summary.stages.find((s) => s.stage === 'pull:crm')!;
    // Not worth retrying: one attempt, failed for good.
    expect(crm).toMatchObject({ status: 'failed', attempts: 1 });
    expect(summary.stages.find((s) => s.stage === 'commit')!.status).not.toBe('completed');
    const [golden] = await p.database.sql<{ n: number }[]>`select count(*)::int as n from golden_records`;
    expect(golden!.n).toBe(0);
  });

  it('rolls a commit that crashes half way back, and the retry ends as a clean run does', async () => {
    const settings = fixture.settings(shop.url);
    const clean = await pipeline();
    const cleanRun = await enqueueRun(clean.queues, clean.database, settings);
    expect((await followRun(clean.database, cleanRun, { timeoutMs: 60_000, pollMs: 100 })).status).toBe('completed');

    // The first commit attempt throws after writing golden records, before the cross-reference.
    const crashing = await pipeline('commit.golden@1');
    const runId = await enqueueRun(crashing.queues, crashing.database, settings);
    const summary = await followRun(crashing.database, runId, { timeoutMs: 60_000, pollMs: 100 });
    expect(summary.status).toBe('completed');
    expect(summary.stages.find((s) => s.stage === 'commit')).toMatchObject({ status: 'completed', attempts: 2 });
    expect(await goldenState(crashing, settings.name)).toEqual(await goldenState(clean, settings.name));
    const [versions] = await crashing.database.sql<{ max: number }[]>`select max(version)::int as max from golden_records`;
    expect(versions!.max).toBe(1);
  });

  it('retries a stage that fails once and finishes with the same result', async () => {
    const settings = fixture.settings(shop.url);
    const p = await pipeline('score@1');
    const runId = await enqueueRun(p.queues, p.database, settings);
    const summary = await followRun(p.database, runId, { timeoutMs: 60_000, pollMs: 100 });
    expect(summary.status).toBe('completed');
    expect(summary.stages.find((s) => s.stage === 'score')).toMatchObject({ status: 'completed', attempts: 2 });
    expect(await goldenState(p, settings.name)).toEqual(await goldenState(pipelines[1]!, settings.name));
  });

  it('resumes a failed run when its failed stage is retried: completed stages are not redone', async () => {
    const settings = fixture.settings(shop.url);
    // Cluster fails all three attempts; the fourth (the operator's retry) passes.
    const p = await pipeline('cluster@1|2|3');
    const runId = await enqueueRun(p.queues, p.database, settings);
    const failed = await followRun(p.database, runId, { timeoutMs: 60_000, pollMs: 100 });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^cluster: failpoint cluster triggered on attempt 3$/);
    const before = Object.fromEntries(failed.stages.map((s) => [s.stage, s.attempts]));

    // Retrying the commit first cannot work: it says which stage to retry instead.
    const commitJob = (await p.queues.queue('commit').getJob(`${runId}.commit`))!;
    expect(await commitJob.getState()).toBe('failed');
    await commitJob.retry('failed');
    await expect.poll(async () => commitJob.getState(), { timeout: 10_000 }).toBe('failed');
    expect((await p.queues.queue('commit').getJob(`${runId}.commit`))!.failedReason).toMatch(/^commit cannot run before .*cluster \(failed\).*: retry the failed stage under it/);

    await (await p.queues.queue('cluster').getJob(`${runId}.cluster`))!.retry('failed');
    const status = async () => (await p.database.sql<{ status: string }[]>`select status from runs where id = ${runId}`)[0]!.status;
    await expect.poll(status, { timeout: 60_000, interval: 200 }).toBe('completed');
    const summary = await followRun(p.database, runId, { timeoutMs: 10_000, pollMs: 100 });
    expect(summary.status).toBe('completed');
    const after = Object.fromEntries(summary.stages.map((s) => [s.stage, s]));
    for (const stage of ['pull:crm', 'pull:shop', 'standardize', 'block', 'train', 'score']) expect(after[stage]!.attempts).toBe(before[stage]);
    expect(after.cluster).toMatchObject({ status: 'completed', attempts: 4 });
    expect(after.commit!.status).toBe('completed');
    expect(await goldenState(p, settings.name)).toEqual(await goldenState(pipelines[1]!, settings.name));
  });
});
