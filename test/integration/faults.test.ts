import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/client.js';
import { transaction } from '../../src/pipeline/transaction.js';
import { BIN, cliEnv, lastJsonLine, ROOT, runCli, startCli, type CliResult } from '../helpers/cli.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis-server.js';
import { createTestDatabase, REDIS_URL, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

/**
 * Faults a production deployment meets, on real worker processes, real Postgres and real
 * Redis: each faulty FEBRL 3 run must end with the golden records of an undisturbed run.
 */

interface Deployment {
  db: TestDatabase;
  sql: postgres.Sql;
  env: NodeJS.ProcessEnv;
}

const deployments: Deployment[] = [];
const prefixes: Array<ReturnType<typeof redisPrefix>> = [];
const children: ChildProcess[] = [];
let privateRedis: PrivateRedis | undefined;
let reference: string[] = [];
let referenceHistory: Record<string, number> = {};

async function deployment(redisUrl = REDIS_URL): Promise<Deployment> {
  const db = await createTestDatabase();
  const prefix = redisPrefix();
  prefixes.push(prefix);
  const d: Deployment = { db, sql: postgres(db.url, { max: 1, onnotice: () => {} }), env: cliEnv({ DATABASE_URL: db.url, REDIS_URL: redisUrl, GOLDRUN_QUEUE_PREFIX: prefix.prefix }) };
  deployments.push(d);
  const migrated = await runCli(['migrate'], d.env);
  expect(migrated.code, migrated.stderr).toBe(0);
  return d;
}

async function worker(d: Deployment, options: { failpoints?: string; lockMs?: number } = {}) {
  const env = options.failpoints ? { ...d.env, GOLDRUN_FAILPOINTS: options.failpoints } : d.env;
  const args = ['worker', '--threads', '1', ...(options.lockMs ? ['--lock-ms', String(options.lockMs)] : [])];
  const w = await startCli(args, env, 'worker ready');
  children.push(w.child);
  return w;
}

/** `goldrun run` in the background: the test disturbs the workers while it follows the run. */
function startRun(d: Deployment): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, 'run', '--config', 'examples/febrl3.yaml', '--json', '--no-worker'], { cwd: ROOT, env: d.env });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }));
}

async function completedRun(run: Promise<CliResult>): Promise<Record<string, any>> {
  const result = await run;
  expect(result.code, result.stderr).toBe(0);
  const summary = lastJsonLine(result.stdout) as Record<string, any>;
  expect(summary.status).toBe('completed');
  return summary;
}

/** What a run decided, independent of run and golden ids: each golden record's members and values. */
async function goldenState(d: Deployment): Promise<string[]> {
  const rows = await d.sql<{ members: string; attrs: unknown }[]>`
    select string_agg(x.source || ':' || x.source_id, ',' order by x.source, x.source_id) as members, g.attrs
    from golden_records g join xref x on x.golden_id = g.golden_id
    where g.status = 'active' group by g.golden_id, g.attrs`;
  return rows.map((r) => `${r.members} ${JSON.stringify(r.attrs)}`).sort();
}

/** Version rows and lifecycle events by kind: a commit retried or taken over must not write any twice. */
async function historyCounts(d: Deployment): Promise<Record<string, number>> {
  const rows = await d.sql<{ kind: string; n: number }[]>`
    select 'versions:' || change as kind, count(*)::int as n from golden_history group by change
    union all select 'events:' || event, count(*)::int from golden_events group by event`;
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

async function maxGoldenVersion(d: Deployment): Promise<number> {
  const [row] = await d.sql<{ max: number }[]>`select max(version)::int as max from golden_records`;
  return row!.max;
}

async function stage(d: Deployment, name: string): Promise<{ status: string; attempts: number } | undefined> {
  const [row] = await d.sql<{ status: string; attempts: number }[]>`select status, attempts from run_stages where stage = ${name}`;
  return row;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

/** The backend of a commit paused at `commit.golden`: golden records written, transaction open. */
async function pausedCommitBackend(d: Deployment): Promise<number | undefined> {
  const [row] = await d.sql<{ pid: number }[]>`
    select pid from pg_stat_activity
    where datname = ${d.db.name} and state = 'idle in transaction' and query ilike '%insert into golden_records%'`;
  return row?.pid;
}

async function stageRunning(d: Deployment, name: string): Promise<boolean> {
  return (await stage(d, name))?.status === 'running';
}

async function stopChildren(): Promise<void> {
  const live = children.splice(0).filter((c) => c.exitCode === null && c.signalCode === null);
  for (const c of live) c.kill('SIGKILL');
  await Promise.all(live.map((c) => once(c, 'exit')));
}

describe('faults', () => {
  beforeAll(async () => {
    await requireServices();
    const d = await deployment();
    await worker(d);
    await completedRun(startRun(d));
    reference = await goldenState(d);
    expect(reference.length).toBeGreaterThan(0);
    referenceHistory = await historyCounts(d);
    expect(referenceHistory).toEqual({ 'versions:created': reference.length, 'events:mint': reference.length });
    await stopChildren();
  }, 60_000);

  // Each worker holds up to ten Postgres connections: none outlives its test.
  afterEach(stopChildren);

  afterAll(async () => {
    await stopChildren();
    await privateRedis?.destroy();
    for (const d of deployments) await d.sql.end();
    for (const p of prefixes) await p.cleanup();
    for (const d of deployments) await d.db.drop();
  });

  it('takes over the commit of a worker killed with SIGKILL in the middle of it, writing nothing twice', async () => {
    const d = await deployment();
    const a = await worker(d, { failpoints: 'commit.golden@1~60000', lockMs: 3000 });
    const run = startRun(d);
    await waitUntil('the commit is paused with golden records written', async () => (await pausedCommitBackend(d)) !== undefined, 40_000);
    a.child.kill('SIGKILL');
    await worker(d, { lockMs: 3000 });
    await completedRun(run);
    expect(await goldenState(d)).toEqual(reference);
    expect(await maxGoldenVersion(d)).toBe(1);
    expect(await historyCounts(d)).toEqual(referenceHistory);
  }, 60_000);

  it('finishes a run when Redis restarts in the middle of it', async () => {
    privateRedis = await startPrivateRedis();
    const d = await deployment(privateRedis.url);
    await worker(d, { failpoints: 'cluster@1~4000' });
    const run = startRun(d);
    await waitUntil('the cluster stage is running', () => stageRunning(d, 'cluster'), 40_000);
    await privateRedis.stop();
    await sleep(1000);
    await privateRedis.start();
    await completedRun(run);
    expect(await goldenState(d)).toEqual(reference);
    expect((await stage(d, 'cluster'))!.status).toBe('completed');
  }, 60_000);

  it('retries a commit whose Postgres connection was terminated, and the retry ends as an undisturbed run does', async () => {
    const d = await deployment();
    const pauseMs = 3000;
    const w = await worker(d, { failpoints: `commit.golden@1~${pauseMs}` });
    const run = startRun(d);
    let pid: number | undefined;
    await waitUntil('the commit is paused with golden records written', async () => (pid = await pausedCommitBackend(d)) !== undefined, 40_000);
    const pausedBy = Date.now() + pauseMs;
    const [terminated] = await d.sql<{ ok: boolean }[]>`select pg_terminate_backend(${pid!}::int) as ok`;
    expect(terminated!.ok).toBe(true);
    await completedRun(run);
    expect(await stage(d, 'commit')).toEqual({ status: 'completed', attempts: 2 });
    expect(await goldenState(d)).toEqual(reference);
    expect(await historyCounts(d)).toEqual(referenceHistory);
    expect(await maxGoldenVersion(d)).toBe(1);
    // The first attempt's code wakes up from its pause on a dead transaction: it must neither
    // write outside the transaction nor bring the worker down.
    await sleep(Math.max(0, pausedBy + 1000 - Date.now()));
    expect(w.child.exitCode, w.output().slice(-3000)).toBe(null);
    expect(await goldenState(d)).toEqual(reference);
    expect(await maxGoldenVersion(d)).toBe(1);
  }, 60_000);

  it('retries a commit that failed after its transaction, before removing the run\'s staging: the retry writes nothing twice and removes it', async () => {
    const d = await deployment();
    await worker(d, { failpoints: 'commit.cleanup@1' });
    const summary = await completedRun(startRun(d));
    // The run is committed once the transaction is: the retry that tidies up may come after.
    await waitUntil('the commit stage is retried', async () => (await stage(d, 'commit'))?.status === 'completed');
    expect(await stage(d, 'commit')).toEqual({ status: 'completed', attempts: 2 });
    expect(await goldenState(d)).toEqual(reference);
    expect(await historyCounts(d)).toEqual(referenceHistory);
    const [staged] = await d.sql<{ n: number }[]>`
      select (select count(*) from run_clusters where run_id = ${summary.runId})
           + (select count(*) from run_golden where run_id = ${summary.runId})
           + (select count(*) from run_touched_records where run_id = ${summary.runId})
           + (select count(*) from run_xref where run_id = ${summary.runId}) as n`;
    expect(Number(staged!.n)).toBe(0);
  }, 60_000);

  it.each(['tagged', 'unsafe'] as const)('survives a transaction whose backend is terminated during a %s query, in this very process', async (kind) => {
    const d = deployments[0]!;
    const sql = connect(d.db.url, { max: 1 });
    try {
      let pid: number | undefined;
      let carriedOn = false;
      const tx = transaction(sql, async (t) => {
        pid = (await t<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
        if (kind === 'tagged') await t`select pg_sleep(20)`;
        else await t.unsafe('select pg_sleep(20)');
        carriedOn = true;
      });
      await waitUntil('the transaction runs its query', async () => pid !== undefined);
      await d.sql`select pg_terminate_backend(${pid!}::int)`;
      await expect(tx).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
      // The pool's one connection comes back (postgres.js may fail one query with the old backend's error first).
      const served = async () => (await sql<{ ok: number }[]>`select 1 as ok`.catch(() => []))[0]?.ok === 1;
      await waitUntil('the pool serves queries again', served, 10_000);
      expect(carriedOn).toBe(false);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }, 30_000);

  it('fails a run whose unlogged staging a database restart emptied, naming it, and commits nothing', async () => {
    const d = await deployment();
    await worker(d, { failpoints: 'survive@1~4000,commit@1~4000' });
    const tamper = async (stageName: string, change: (runId: string) => Promise<unknown>) => {
      const run = startRun(d);
      let runId: string | undefined;
      await waitUntil(`the ${stageName} stage is running`, async () => {
        [{ run_id: runId } = { run_id: undefined }] = await d.sql<{ run_id: string }[]>`
          select run_id from run_stages where stage = ${stageName} and status = 'running'`;
        return runId !== undefined;
      }, 40_000);
      await change(runId!);
      const result = await run;
      expect(result.code).not.toBe(0);
      const [failed] = await d.sql<{ status: string; error: string }[]>`select status, error from runs where id = ${runId!}`;
      return failed!;
    };
    // What crash recovery does to an unlogged table, for this run's rows only.
    const lose = (stageName: string, table: 'run_clusters' | 'run_golden') =>
      tamper(stageName, (runId) => d.sql`delete from ${d.sql(table)} where run_id = ${runId}`);
    const survive = await lose('survive', 'run_clusters');
    expect(survive.status).toBe('failed');
    expect(survive.error).toMatch(/^survive: run \S+: the cluster stage staged \d+ rows in run_clusters, but 0 are there .*start the run again/);
    const commit = await lose('commit', 'run_golden');
    expect(commit.status).toBe('failed');
    expect(commit.error).toMatch(/^commit: run \S+: the survive stage staged \d+ rows in run_golden, but 0 are there/);
    // run_clusters has no key on (run, record): a record staged twice is caught by the members survive reads.
    const twice = await tamper('survive', (runId) => d.sql`
      insert into run_clusters (run_id, record_id, cluster_key)
      select run_id, record_id, cluster_key from run_clusters where run_id = ${runId} order by record_id limit 1`);
    expect(twice.status).toBe('failed');
    const [, staged, found] = /^survive: run \S+: the cluster stage staged (\d+) rows in run_clusters, but (\d+) are there/.exec(twice.error) ?? [];
    expect(Number(found) - Number(staged), twice.error).toBe(1);
    expect(twice.error).toContain('a record staged twice');
    const [golden] = await d.sql<{ n: number }[]>`select count(*)::int as n from golden_records`;
    expect(golden!.n).toBe(0);
  }, 120_000);

  it('finishes the job in hand on SIGTERM, exits 0, and another worker finishes the run', async () => {
    const d = await deployment();
    const a = await worker(d, { failpoints: 'cluster@1~3000' });
    const run = startRun(d);
    await waitUntil('the cluster stage is running', () => stageRunning(d, 'cluster'), 40_000);
    const exited = once(a.child, 'exit');
    a.child.kill('SIGTERM');
    const [code] = await exited;
    expect(code, a.output().slice(-3000)).toBe(0);
    expect(a.output()).toContain('worker stopped');
    expect(await stage(d, 'cluster')).toEqual({ status: 'completed', attempts: 1 });
    await worker(d);
    await completedRun(run);
    expect(await stage(d, 'cluster')).toEqual({ status: 'completed', attempts: 1 });
    expect(await goldenState(d)).toEqual(reference);
  }, 60_000);
});
