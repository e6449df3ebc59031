import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, lastJsonLine, runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, REDIS_URL, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

/** The CLI as an operator runs it: separate migrate, worker and run processes on real services. */
describe('goldrun CLI against Postgres and Redis', () => {
  let db: TestDatabase;
  let redis: ReturnType<typeof redisPrefix>;
  let env: NodeJS.ProcessEnv;
  let worker: { child: ChildProcess; output: () => string } | null = null;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    redis = redisPrefix();
    env = cliEnv({ DATABASE_URL: db.url, REDIS_URL, GOLDRUN_QUEUE_PREFIX: redis.prefix });
  });

  afterAll(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await redis?.cleanup();
    await db?.drop();
  });

  it('refuses to run before migrate, then migrates', async () => {
    const early = await runCli(['run', '--config', 'examples/febrl3.yaml', '--no-worker'], env);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/0 of \d+ goldrun migrations: run `goldrun migrate` first/);
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/migration\(s\) applied/);
  });

  it('runs FEBRL 3 through a separate worker process and commits golden records', async () => {
    worker = await startCli(['worker', '--threads', '2'], env, 'worker ready');
    const result = await runCli(['run', '--config', 'examples/febrl3.yaml', '--json', '--no-worker'], env);
    expect(result.code, result.stderr).toBe(0);
    const summary = lastJsonLine(result.stdout) as { goldenRecords: { total: number } } & Record<string, any>;
    expect(summary).toMatchObject({ status: 'completed', sources: { febrl3: { pulled: 5000, quarantined: 0 } } });
    expect(summary.candidatePairs).toBeGreaterThan(50_000);
    expect(summary.goldenRecords.total).toBe(summary.clusters);
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const [counts] = await sql<{ records: number; xref: number; linked: number; golden: number }[]>`
        select (select count(*)::int from source_records) as records, (select count(*)::int from xref) as xref,
               (select count(golden_id)::int from xref) as linked, (select count(*)::int from golden_records where status = 'active') as golden`;
      expect(counts).toEqual({ records: 5000, xref: 5000, linked: 5000, golden: summary.goldenRecords.total });
    } finally {
      await sql.end();
    }
  });

  it('stops a worker gracefully on SIGTERM', async () => {
    expect(worker).not.toBeNull();
    worker!.child.kill('SIGTERM');
    const [code] = await once(worker!.child, 'exit');
    expect(code).toBe(0);
    expect(worker!.output()).toContain('worker stopped');
  });

  it('serves the board only with users, and only to signed-in ones', async () => {
    const none = await runCli(['board', '--port', '0'], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('the board has no users: set GOLDRUN_BOARD_USERS');
    const hash = (await runCli(['board', 'hash-password'], env, 20_000, 'operator-password-1\n')).stdout.trim();
    expect(hash).toMatch(/^scrypt\$/);
    const board = await startCli(['board', '--port', '0'], { ...env, GOLDRUN_BOARD_USERS: `olga:operator:${hash}` }, 'board ready');
    try {
      const url = /"listen":"([^"]+)"/.exec(board.output())![1]!;
      expect((await fetch(`${url}runs`)).status).toBe(401);
      const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`olga:${password}`).toString('base64')}` });
      expect((await fetch(`${url}runs`, { headers: basic('operator-password-1') })).status).toBe(200);
      expect((await fetch(`${url}runs`, { headers: basic('operator-password-2') })).status).toBe(401);
      // Passwords never reach the log.
      expect(board.output()).not.toContain('operator-password');
    } finally {
      board.child.kill('SIGTERM');
      await once(board.child, 'exit');
    }
  });

  it('reports every settings problem with its path and exits 1', async () => {
    const result = await runCli(['run', '--config', 'test/fixtures/broken-settings.yaml'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('sources[0].path: required');
    expect(result.stderr).toContain('comparisons[0].method');
  });

  it('evaluates FEBRL 3 and ends with a JSON line', async () => {
    const result = await runCli(['evaluate', '--config', 'examples/febrl3.yaml', '--truth-column', 'rec_id', '--truth-regex', 'rec-(\\d+)-', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const report = lastJsonLine(result.stdout);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['precision', 'recall', 'f1', 'candidatePairs', 'blockingRecall']));
    expect(report.f1).toBeGreaterThan(0.99);
    expect(report.blockingRecall).toBeGreaterThan(0.995);
  });
});
