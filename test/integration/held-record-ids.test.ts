import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { clusterRunRecords } from '../../src/pipeline/cluster-records.js';
import type { PipelineContext } from '../../src/pipeline/context.js';
import { noFailpoints } from '../../src/pipeline/failpoints.js';
import { heldRecordIds, releaseMatchPlan, runMatchPlan } from '../../src/pipeline/match-plan-cache.js';
import { runSettings } from '../../src/pipeline/runs.js';
import { inlineRunner } from '../../src/score/runner.js';
import { cliEnv, migrateAndRun } from '../helpers/cli.js';
import { createTestDatabase, REDIS_URL, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

/**
 * The cluster stage takes the live customer records' ids from the match plan this process
 * holds, instead of scanning every record for them: only when the plan is the run's, loaded
 * whole, and no record changed since; and it must then cluster exactly as from the table.
 */
describe('record ids held with the match plan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldrun-held-ids-'));
  let db: TestDatabase;
  let redis: ReturnType<typeof redisPrefix>;
  let database: Database;
  let runId: string;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    redis = redisPrefix();
    const rows = ['id,first,last,email,kind'];
    for (let i = 0; i < 150; i++) rows.push(`${i},Ann${i},Lee${i},person${i}@example.org,person`);
    // 30 people entered twice; three meters, which are not customers and get no cluster.
    for (let i = 0; i < 30; i++) rows.push(`d${i},Ann${i},Lee${i},person${i}@example.org,person`);
    for (let i = 0; i < 3; i++) rows.push(`m${i},meter,M${i},,meter`);
    writeFileSync(join(dir, 'contacts.csv'), `${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'settings.yaml'), [
      'name: held',
      'linkType: dedupe_only',
      'sources:',
      '  - { name: contacts, kind: csv, path: contacts.csv, id: id, fields: { firstName: first, lastName: last, email: email } }',
      'exclude:',
      '  - { attribute: firstName, pattern: "^meter$", reason: utility meter }',
      'blocking:',
      '  rules: [[email], [lastName]]',
      'comparisons:',
      '  - { attribute: firstName, method: jaroWinkler }',
      '  - { attribute: lastName, method: jaroWinkler }',
      '  - { attribute: email, method: exact }',
      'model: { prior: 0.5 }',
      '',
    ].join('\n'));
    const env = cliEnv({ DATABASE_URL: db.url, REDIS_URL, GOLDRUN_QUEUE_PREFIX: redis.prefix });
    runId = (await migrateAndRun(join(dir, 'settings.yaml'), env)).runId as string;
    database = await openDatabase({ url: db.url, max: 4 });
  }, 120_000);

  afterAll(async () => {
    releaseMatchPlan();
    await database?.close();
    await redis?.cleanup();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const liveIds = async () => (await database.sql<{ id: number }[]>`
    select id from source_records where deployment = 'held' and deleted_at is null and record_class = 'customer' order by id`).map((r) => r.id);

  const staged = async () => database.sql<{ record_id: number; cluster_key: number }[]>`
    select record_id, cluster_key from run_clusters where run_id = ${runId} order by record_id`;

  it('gives the live customer ids of a plan loaded whole, and nothing once a record changed or for another run', async () => {
    const settings = await runSettings(database, runId);
    releaseMatchPlan();
    expect(await heldRecordIds(database.sql, runId, settings)).toBeNull();
    await runMatchPlan(database, runId, settings);
    const held = await heldRecordIds(database.sql, runId, settings);
    expect(held && [...held]).toEqual(await liveIds());
    expect(held!.length).toBe(180);
    expect(await heldRecordIds(database.sql, 'r-another-run', settings)).toBeNull();
    // Any write that changes a record moves its updated_at: the held ids may be stale.
    await database.sql`update source_records set updated_at = now() + interval '1 minute' where deployment = 'held' and source_id = '7'`;
    expect(await heldRecordIds(database.sql, runId, settings)).toBeNull();
  });

  it('loads the plan once for score parts that ask for it side by side, and again once a record changed', async () => {
    const settings = await runSettings(database, runId);
    releaseMatchPlan();
    const [a, b] = await Promise.all([runMatchPlan(database, runId, settings), runMatchPlan(database, runId, settings)]);
    expect(b.plan).toBe(a.plan);
    expect(a.ids.length).toBe(180);
    expect((await runMatchPlan(database, runId, settings)).plan).toBe(a.plan);
    await database.sql`update source_records set updated_at = now() + interval '2 minutes' where deployment = 'held' and source_id = '8'`;
    const [c, d] = await Promise.all([runMatchPlan(database, runId, settings), runMatchPlan(database, runId, settings)]);
    expect(c.plan).not.toBe(a.plan);
    expect(d.plan).toBe(c.plan);
  });

  it('clusters the same from held ids as from the table', async () => {
    const settings = await runSettings(database, runId);
    const ctx: PipelineContext = {
      database, log: pino({ level: 'silent' }), runner: inlineRunner, secrets: () => undefined, failpoints: noFailpoints,
    };
    await runMatchPlan(database, runId, settings);
    expect(await heldRecordIds(database.sql, runId, settings)).not.toBeNull();
    const fromHeld = await clusterRunRecords(ctx, runId, () => {});
    const heldRows = await staged();
    // The stage lets the plan go: the second pass reads the ids from the table.
    expect(await heldRecordIds(database.sql, runId, settings)).toBeNull();
    const fromTable = await clusterRunRecords(ctx, runId, () => {});
    expect(fromHeld).toEqual(fromTable);
    expect(heldRows).toEqual(await staged());
    expect(fromHeld).toMatchObject({ records: 180, clusters: 150, stagedRecords: 180 });
  });
});
