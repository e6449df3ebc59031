import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, lastJsonLine, runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, REDIS_URL, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

/** An operator at a shell: a run failed for good at night, `goldrun resume` finishes it. */
describe('goldrun resume', () => {
  let db: TestDatabase;
  let redis: ReturnType<typeof redisPrefix>;
  let worker: { child: ChildProcess; output: () => string } | undefined;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    redis = redisPrefix();
  });

  afterAll(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await redis?.cleanup();
    await db?.drop();
  });

  it('retries the failed stage of a failed run and follows it to completion', async () => {
    const env = cliEnv({ DATABASE_URL: db.url, REDIS_URL, GOLDRUN_QUEUE_PREFIX: redis.prefix });
    expect((await runCli(['migrate'], env)).code).toBe(0);
    // The worker's survive stage fails on each of the run's three attempts; the resume is a fourth.
    worker = await startCli(['worker', '--threads', '1'], { ...env, GOLDRUN_FAILPOINTS: 'survive@1|2|3' }, 'worker ready');
    const failed = await runCli(['run', '--config', 'examples/febrl3.yaml', '--json', '--no-worker'], env);
    expect(failed.code).toBe(1);
    const summary = lastJsonLine(failed.stdout) as { runId: string; status: string; error: string };
    expect(summary).toMatchObject({ status: 'failed', error: 'survive: failpoint survive triggered on attempt 3' });

    const resumed = await runCli(['resume', summary.runId], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`run ${summary.runId}: retried survive; the stages after it follow`);
    expect(resumed.stdout).toMatch(new RegExp(`^run ${summary.runId} \\(febrl3\\): completed`, 'm'));

    const again = await runCli(['resume', summary.runId], env);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain('is completed: nothing to resume');
    const missing = await runCli(['resume', 'r-nope'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('run r-nope does not exist');
  }, 120_000);
});
