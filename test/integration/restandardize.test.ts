import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSettings } from '../../src/config/load-settings.js';
import type { Settings } from '../../src/config/settings-schema.js';
import { blockRecords } from '../../src/pipeline/block-records.js';
import { RecordPreparer } from '../../src/pipeline/prepare-record.js';
import { pullSource } from '../../src/pipeline/pull-source.js';
import { refreshRecordStatistics } from '../../src/pipeline/record-statistics.js';
import { createRun } from '../../src/pipeline/runs.js';
import { standardizeRecords } from '../../src/pipeline/standardize-records.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { createTestDatabase, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

/**
 * The standardize and block stages redo what the pulls did only for records whose settings
 * or content changed since: an incremental pull leaves the rows it does not read as they
 * were, so after a settings change these stages must find every one of them, and otherwise
 * none.
 */
describe('standardize and block stages after the pulls', () => {
  let db: TestDatabase;
  let redis: ReturnType<typeof redisPrefix>;
  let pipeline: TestPipeline;
  let dir: string;
  const noProgress = () => {};

  const settingsWith = (dateOrder: 'DMY' | 'MDY', rules: string[][]): Settings => validateSettings({
    name: 'restandardize',
    sources: [{
      name: 'crm', kind: 'csv', path: join(dir, 'crm.csv'), id: 'id', updatedAt: 'updated',
      fields: { firstName: 'first', lastName: 'last', email: 'email', birthDate: 'born' },
    }],
    defaults: { dateOrder },
    exclude: [{ attribute: 'lastName', pattern: '^testuser$', reason: 'test account' }],
    blocking: { rules },
    comparisons: [
      { attribute: 'firstName', method: 'jaroWinkler' },
      { attribute: 'lastName', method: 'jaroWinkler' },
      { attribute: 'birthDate', method: 'exact' },
    ],
  });

  /** Pull, standardize and block a new run, as the flow runs them. */
  async function stages(settings: Settings) {
    const runId = await createRun(pipeline.database, settings);
    const pull = await pullSource(pipeline.ctx, runId, 'crm', noProgress);
    const standardize = await standardizeRecords(pipeline.ctx, runId, noProgress);
    const block = await blockRecords(pipeline.ctx, runId, noProgress);
    return { pull, standardize, block };
  }

  /** Every stored record against what the settings make of its row now. */
  async function expectCurrent(settings: Settings): Promise<void> {
    const preparer = new RecordPreparer(settings);
    const rows = await pipeline.database.sql<{ raw: Record<string, unknown>; content_hash: string; attrs: unknown; record_class: string; std_key: string; block_keys: string[] | null; block_stamp: string | null }[]>`
      select raw, content_hash, attrs, record_class, std_key, block_keys, block_stamp from source_records order by id`;
    expect(rows).toHaveLength(40);
    for (const row of rows) {
      const p = preparer.prepare('crm', row.raw, row.content_hash);
      expect({ attrs: row.attrs, class: row.record_class, stdKey: row.std_key, keys: row.block_keys, stamp: row.block_stamp }).toEqual({
        attrs: JSON.parse(p.attrs), class: p.recordClass, stdKey: p.stdKey, keys: p.blockKeys, stamp: p.blockStamp,
      });
    }
  }

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    redis = redisPrefix();
    pipeline = await startTestPipeline({ databaseUrl: db.url, queue: { kind: 'redis', prefix: redis.prefix }, workers: false });
    dir = await mkdtemp(join(tmpdir(), 'goldrun-restandardize-'));
    const lines = ['id,first,last,email,born,updated'];
    for (let i = 0; i < 40; i++) {
      // Days and months both under 13: read one way or the other by the date order.
      const last = i % 10 === 9 ? 'TestUser' : `Lee${i}`;
      lines.push(`c${i},Ann${i % 7},${last},p${i}@example.org,0${1 + (i % 9)}/1${i % 3}/19${50 + i},2024-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`);
    }
    await writeFile(join(dir, 'crm.csv'), `${lines.join('\n')}\n`);
  });

  afterAll(async () => {
    await pipeline?.close();
    await redis?.cleanup();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('leave a first pull as it wrote it', async () => {
    const first = await stages(settingsWith('DMY', [['lastName'], ['birthDate']]));
    expect(first.pull.pulled).toBe(40);
    expect(first.standardize).toMatchObject({ standardized: 0, customers: 0, excluded: 0, quarantined: 0 });
    expect(first.block.keyed).toBe(0);
    await expectCurrent(settingsWith('DMY', [['lastName'], ['birthDate']]));
  });

  it('redo every record an incremental pull did not read once the settings change, then none', async () => {
    const changed = settingsWith('MDY', [['firstName'], ['birthDate']]);
    const next = await stages(changed);
    // The watermark let no row through as changed: the stages did it all.
    expect(next.standardize).toMatchObject({ standardized: 40, customers: 36, excluded: 4, quarantined: 0 });
    expect(next.block.keyed).toBe(0);
    await expectCurrent(changed);

    const again = await stages(changed);
    expect(again.standardize.standardized).toBe(0);
    expect(again.block.keyed).toBe(0);
  });

  it('find stale records wherever they are, and only those', async () => {
    const settings = settingsWith('MDY', [['firstName'], ['birthDate']]);
    const ids = (await pipeline.database.sql<{ id: number }[]>`select id from source_records order by id`).map((r) => r.id);
    // Written by an older version: two standardized under other settings, one keyed by other rules.
    await pipeline.database.sql`update source_records set std_key = 'older' where id = any(${[ids[17]!, ids[33]!]}::bigint[])`;
    await pipeline.database.sql`update source_records set block_stamp = 'older' where id = ${ids[25]!}`;
    const later = await stages(settings);
    expect(later.standardize.standardized).toBe(2);
    expect(later.block.keyed).toBe(1);
    await expectCurrent(settings);
  });

  it('take statistics of the records once enough of them changed since the last, and not before', async () => {
    const { sql } = pipeline.database;
    const estimate = async () => (await sql<{ n: number }[]>`select reltuples::int as n from pg_class where oid = 'source_records'::regclass`)[0]!.n;
    // The stages above took them; their last rewrite was two records.
    expect(await refreshRecordStatistics(sql)).toBe(false);
    await sql`
      insert into source_records (deployment, source, source_id, raw, content_hash, first_run_id, last_run_id)
      select 'other', 'crm', 'o' || n, '{}', 'h' || n, 'r0', 'r0' from generate_series(1, 100) as n`;
    expect(await refreshRecordStatistics(sql)).toBe(true);
    expect(await estimate()).toBe(140);
    expect(await refreshRecordStatistics(sql)).toBe(false);
    // 60 changed, fewer than 50 and a tenth of 140 (64): not yet.
    await sql`update source_records set updated_at = now() where deployment = 'other' and source_id in (select 'o' || n from generate_series(1, 60) as n)`;
    expect(await refreshRecordStatistics(sql)).toBe(false);
    await sql`update source_records set updated_at = now(), deleted_at = now() where deployment = 'other'`;
    expect(await refreshRecordStatistics(sql)).toBe(true);
    expect(await refreshRecordStatistics(sql)).toBe(false);
  });
});
