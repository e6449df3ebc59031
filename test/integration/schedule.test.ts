import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, REDIS_URL, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

/** The nightly run is a BullMQ job scheduler that workers turn into runs from the stored settings. */
describe('goldrun schedule', () => {
  let db: TestDatabase;
  let redis: ReturnType<typeof redisPrefix>;
  let env: NodeJS.ProcessEnv;
  let worker: ChildProcess | null = null;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    redis = redisPrefix();
    env = cliEnv({ DATABASE_URL: db.url, REDIS_URL, GOLDRUN_QUEUE_PREFIX: redis.prefix });
    expect((await runCli(['migrate'], env)).code).toBe(0);
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await redis?.cleanup();
    await db?.drop();
  });

  it('upserts a scheduler, lists it, and a worker starts runs from it', async () => {
    const scheduled = await runCli(['schedule', '--config', 'examples/fake1000.yaml', '--cron', '*/3 * * * * *'], env);
    expect(scheduled.code, scheduled.stderr).toBe(0);
    expect(scheduled.stdout).toMatch(/^scheduled fake1000: "\*\/3 \* \* \* \* \*", next run at \d{4}-\d\d-\d\dT/);
    // Upserting again replaces the schedule rather than adding a second one.
    expect((await runCli(['schedule', '--config', 'examples/fake1000.yaml', '--cron', '*/2 * * * * *'], env)).code).toBe(0);
    const listed = await runCli(['schedules'], env);
    expect(listed.stdout.trim().split('\n')).toHaveLength(1);
    expect(listed.stdout).toMatch(/^nightly-fake1000\s+"\*\/2 \* \* \* \* \*"\s+next \d{4}-/);

    worker = (await startCli(['worker', '--threads', '1'], env, 'worker ready')).child;
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      let completed = 0;
      for (let i = 0; i < 120 && completed === 0; i++) {
        await sleep(500);
        const [row] = await sql<{ n: number }[]>`select count(*)::int as n from runs where trigger = 'schedule' and status = 'completed'`;
        completed = row!.n;
      }
      expect(completed).toBeGreaterThan(0);
      const [deployment] = await sql<{ name: string }[]>`select name from deployments`;
      expect(deployment!.name).toBe('fake1000');
    } finally {
      await sql.end();
    }
    const removed = await runCli(['schedule', '--config', 'examples/fake1000.yaml', '--remove'], env);
    expect(removed.stdout).toContain('removed the schedule of fake1000');
    expect((await runCli(['schedules'], env)).stdout.trim()).toBe('no schedules');
  });
});
