import type { ChildProcess } from 'node:child_process';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, lastJsonLine, runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, REDIS_URL, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

interface Setup {
  db: TestDatabase;
  redis: ReturnType<typeof redisPrefix>;
  env: NodeJS.ProcessEnv;
  workers: Array<{ child: ChildProcess; output: () => string }>;
}

/** What a run decided, independent of run ids: each golden record's members and values. */
async function goldenState(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ members: string; attrs: unknown }[]>`
      select string_agg(x.source || ':' || x.source_id, ',' order by x.source, x.source_id) as members, g.attrs
      from golden_records g join xref x on x.golden_id = g.golden_id
      where g.status = 'active' group by g.golden_id, g.attrs`;
    return rows.map((r) => `${r.members} ${JSON.stringify(r.attrs)}`).sort();
  } finally {
    await sql.end();
  }
}

async function runWith(workerCount: number): Promise<{ setup: Setup; summary: Record<string, any> }> {
  const db = await createTestDatabase();
  const redis = redisPrefix();
  const env = cliEnv({ DATABASE_URL: db.url, REDIS_URL, GOLDRUN_QUEUE_PREFIX: redis.prefix });
  const setup: Setup = { db, redis, env, workers: [] };
  const migrated = await runCli(['migrate'], env);
  expect(migrated.code, migrated.stderr).toBe(0);
  for (let w = 0; w < workerCount; w++) setup.workers.push(await startCli(['worker', '--threads', '1'], env, 'worker ready'));
  const result = await runCli(['run', '--config', 'examples/febrl3.yaml', '--json', '--no-worker'], env);
  expect(result.code, result.stderr).toBe(0);
  return { setup, summary: lastJsonLine(result.stdout) as Record<string, any> };
}

async function tearDown(setup: Setup | undefined): Promise<void> {
  if (!setup) return;
  for (const w of setup.workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await setup.redis.cleanup();
  await setup.db.drop();
}

/** Scale-out: two worker processes share the score parts of one run, and decide as one does. */
describe('several workers on one run', () => {
  let one: Setup | undefined;
  let two: Setup | undefined;

  beforeAll(async () => {
    await requireServices();
  });

  afterAll(async () => {
    await tearDown(one);
    await tearDown(two);
  });

  it('gives the same golden records with two worker processes as with one, both workers scoring', async () => {
    const single = await runWith(1);
    one = single.setup;
    const pair = await runWith(2);
    two = pair.setup;
    expect(pair.summary.status).toBe('completed');
    // FEBRL 3's blocking rules give 67,326 candidate pairs (the in-memory evaluate agrees); the parts add up to them.
    expect(single.summary.candidatePairs).toBe(67_326);
    expect(pair.summary.candidatePairs).toBe(single.summary.candidatePairs);
    expect(pair.summary.matchedPairs).toBe(single.summary.matchedPairs);
    expect(Object.keys(pair.summary.stages)).toEqual(expect.arrayContaining(['score', 'score:part0', 'score:part1', 'score:part2', 'score:part3']));
    const [a, b] = await Promise.all([goldenState(single.setup.db.url), goldenState(pair.setup.db.url)]);
    expect(a.length).toBe(single.summary.goldenRecords.total);
    expect(b).toEqual(a);
    // Each worker process took score parts of the run.
    for (const w of pair.setup.workers) expect(w.output()).toMatch(/"stage":"score:part\d"[^\n]*"msg":"stage started"/);
  }, 150_000);
});
