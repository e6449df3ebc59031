import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Queue } from 'bullmq';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/board/passwords.js';
import { createBoardApp } from '../../src/board/server.js';
import { followRun } from '../../src/cli/follow-run.js';
import { startShopApi, type ShopApi } from '../../src/demo/shop-api.js';
import { enqueueRun } from '../../src/queue/enqueue-run.js';
import { twoSourceFixture, type TwoSourceFixture } from '../helpers/fixtures.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { createTestDatabase, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OPERATOR = { name: 'olga', password: 'operator-password-1' };
const VIEWER = { name: 'victor', password: 'viewer-password-12' };
/** bull-board's job actions are icon buttons; retry is the circling-arrows one. */
const RETRY_BUTTON = 'button:has(svg.lucide-refresh-cw)';

/** The board in a real browser: sign-in, roles, and a failed run resumed by retrying its failed job. */
describe('the board', () => {
  let fixture: TwoSourceFixture;
  let shop: ShopApi;
  let db: TestDatabase;
  let prefix: ReturnType<typeof redisPrefix>;
  let pipeline: TestPipeline;
  let server: ServerType;
  let browser: Browser;
  let url: string;
  let runId: string;
  const queues = new Map<string, Queue>();

  beforeAll(async () => {
    await requireServices();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
    fixture = await twoSourceFixture(60, 3);
    shop = await startShopApi(fixture.systems.shop, { token: 'secret-token' });
    db = await createTestDatabase();
    prefix = redisPrefix();
    // The cluster stage fails its three attempts; the operator's retry is the fourth, and passes.
    pipeline = await startTestPipeline({ databaseUrl: db.url, queue: { kind: 'redis', prefix: prefix.prefix }, failpoints: 'cluster@1|2|3', secrets: () => 'secret-token' });
    runId = await enqueueRun(pipeline.queues, pipeline.database, fixture.settings(shop.url));
    expect((await followRun(pipeline.database, runId, { timeoutMs: 60_000, pollMs: 100 })).status).toBe('failed');

    const users = [
      { name: OPERATOR.name, role: 'operator' as const, passwordHash: await hashPassword(OPERATOR.password) },
      { name: VIEWER.name, role: 'viewer' as const, passwordHash: await hashPassword(VIEWER.password) },
    ];
    const queue = (name: string) => {
      let q = queues.get(name);
      if (!q) queues.set(name, (q = pipeline.queues.queue(name)));
      return q;
    };
    const app = createBoardApp({ database: pipeline.database, queue, log: pino({ level: 'silent' }), users, secret: 'test-secret', metricsToken: 'scrape-token' });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    for (const q of queues.values()) await q.close();
    await pipeline?.close();
    await shop?.close();
    await fixture?.cleanup();
    await prefix?.cleanup();
    await db?.drop();
  });

  async function signIn(user: { name: string; password: string }, path: string): Promise<Page> {
    const page = await browser.newPage();
    const response = await page.goto(`${url}${path}`);
    expect(response!.status()).toBe(401);
    await page.getByLabel('Name').fill(user.name);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${url}${path}`);
    return page;
  }

  it('answers anonymous requests with 401, pages and APIs alike', async () => {
    for (const path of ['/runs', `/runs/${runId}`, '/queues/operate/api/queues', '/queues/view/api/queues', '/metrics']) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(401);
    }
    expect((await fetch(`${url}/runs/${runId}/resume`, { method: 'POST' })).status).toBe(401);
    const wrong = await fetch(`${url}/runs`, { headers: { authorization: `Basic ${Buffer.from(`${OPERATOR.name}:wrong-password-00`).toString('base64')}` } });
    expect(wrong.status).toBe(401);
  });

  it('shows a viewer the failed job without any retry button, and refuses a viewer\'s retry', async () => {
    const page = await signIn(VIEWER, `/runs/${runId}`);
    expect(await page.locator('tr[data-stage="cluster"] .status').textContent()).toBe('failed');
    expect(await page.getByRole('button', { name: /retry/i }).count()).toBe(0);
    await page.locator('tr[data-stage="cluster"] a', { hasText: 'job' }).click();
    await page.waitForURL(/\/queues\/view\/queue\/cluster\//);
    await page.getByText('failpoint cluster triggered on attempt 3').first().waitFor();
    // The operator's page has this button (checked below); a read-only board has none, nor edit or delete.
    expect(await page.locator(RETRY_BUTTON).count()).toBe(0);
    expect(await page.locator('button:has(svg.lucide-trash2)').count()).toBe(0);
    const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await fetch(`${url}/queues/operate/api/queues`, { headers: { cookie: cookies } })).status).toBe(403);
    expect((await fetch(`${url}/runs/${runId}/resume`, { method: 'POST', headers: { cookie: cookies } })).status).toBe(403);
    expect((await fetch(`${url}/queues/view/api/queues/cluster/retry/failed`, { method: 'PUT', headers: { cookie: cookies } })).status).toBeGreaterThanOrEqual(400);
    await page.close();
  }, 60_000);

  it('lets an operator retry the failed job from the board, and the run completes', async () => {
    const page = await signIn(OPERATOR, '/runs');
    await page.getByRole('link', { name: runId }).click();
    expect(await page.locator('tr[data-stage="cluster"] .status').textContent()).toBe('failed');
    await page.locator('tr[data-stage="cluster"] a', { hasText: 'job' }).click();
    await page.waitForURL(/\/queues\/operate\/queue\/cluster\//);
    await page.getByText('failpoint cluster triggered on attempt 3').first().waitFor();
    expect(await page.locator(RETRY_BUTTON).count()).toBeGreaterThan(0);
    await page.locator(RETRY_BUTTON).first().click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.goto(`${url}/runs/${runId}`);
    await expect.poll(async () => {
      await page.reload();
      return page.locator('h2 .status').textContent();
    }, { timeout: 60_000, interval: 500 }).toBe('completed');
    // Attempts: three failed, then the operator's retry.
    expect(await page.locator('tr[data-stage="cluster"] td.num').first().textContent()).toBe('4');
    expect(await page.locator('tr[data-stage="commit"] .status').textContent()).toBe('completed');
    const [golden] = await pipeline.database.sql<{ n: number }[]>`select count(*)::int as n from golden_records where status = 'active'`;
    expect(golden!.n).toBeGreaterThan(0);
    await page.close();
  }, 90_000);

  it('serves Prometheus metrics to a signed-in user and to the scrape token', async () => {
    const basic = `Basic ${Buffer.from(`${VIEWER.name}:${VIEWER.password}`).toString('base64')}`;
    const text = await (await fetch(`${url}/metrics`, { headers: { authorization: basic } })).text();
    expect(text).toMatch(/^goldrun_runs\{deployment="twosource",status="completed"\} 1$/m);
    expect(text).toMatch(/^goldrun_jobs\{queue="commit",state="completed"\} 1$/m);
    expect(text).toMatch(/^goldrun_stage_duration_seconds\{deployment="twosource",stage="cluster"\} \d/m);
    const pulled = Number(/^goldrun_records_processed_total\{deployment="twosource",source="crm"\} (\d+)$/m.exec(text)?.[1]);
    expect(pulled).toBeGreaterThan(0);
    expect(text).toMatch(/^goldrun_last_completed_run_timestamp_seconds\{deployment="twosource"\} \d+/m);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer scrape-token' } })).status).toBe(200);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer not-the-token' } })).status).toBe(401);
    // The token opens /metrics only.
    expect((await fetch(`${url}/runs`, { headers: { authorization: 'Bearer scrape-token' } })).status).toBe(401);
  });

  it('retries every failed job of a queue at once ("retry all"), and each run completes', async () => {
    const settings = fixture.settings(shop.url);
    const runIds = [await enqueueRun(pipeline.queues, pipeline.database, settings), await enqueueRun(pipeline.queues, pipeline.database, settings)];
    for (const id of runIds) expect((await followRun(pipeline.database, id, { timeoutMs: 60_000, pollMs: 100 })).status).toBe('failed');
    const operator = { authorization: `Basic ${Buffer.from(`${OPERATOR.name}:${OPERATOR.password}`).toString('base64')}` };
    // Retrying the commits first changes nothing for the worse: each fails again, saying to retry the stage under it.
    expect((await fetch(`${url}/queues/operate/api/queues/commit/retry/failed`, { method: 'PUT', headers: operator })).status).toBe(200);
    expect((await fetch(`${url}/queues/operate/api/queues/cluster/retry/failed`, { method: 'PUT', headers: operator })).status).toBe(200);
    const statuses = async () => (await pipeline.database.sql<{ status: string }[]>`select status from runs where id = any(${runIds}) order by id`).map((r) => r.status);
    await expect.poll(statuses, { timeout: 60_000, interval: 250 }).toEqual(['completed', 'completed']);
  }, 90_000);
});
