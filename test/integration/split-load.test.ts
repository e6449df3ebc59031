import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { loadMatchRecords, loadMatchRecordsInHalves, loadMatchRecordsPortable, type LoadedRecords } from '../../src/pipeline/load-records.js';
import { runSettings } from '../../src/pipeline/runs.js';
import { loadWholeRun, splitPoint } from '../../src/pipeline/split-load.js';
import { survivorshipPolicy } from '../../src/pipeline/survivorship-policy.js';
import type { Settings } from '../../src/config/settings-schema.js';
import { cliEnv, migrateAndRun } from '../helpers/cli.js';
import { crmShopSettingsYaml } from '../helpers/fixtures.js';
import { createTestDatabase, REDIS_URL, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

/**
 * A full run's match load is read in two halves by record id, the later on a thread of its
 * own, and joined: what it gives must be exactly what one pass over every record gives,
 * numbering included, or training, blocking and survive would see other records.
 */
describe('the match load in two halves', () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldrun-split-load-'));
  let db: TestDatabase;
  let redis: ReturnType<typeof redisPrefix>;
  let database: Database;
  let settings: Settings;
  let survived: ReadonlyArray<string>;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    redis = redisPrefix();
    const header = 'id,first,last,email,city,state,updated';
    const crm = [header];
    const shop = [header];
    // A value holding the packed text's separator near each end, so both halves fall back to columns once.
    crm.push('c-odd1,Bo,Odd,bo@example.org,Bern\u001fOst,BE,2024-01-01T00:00:00Z');
    for (let i = 0; i < 240; i++) {
      const updated = i % 3 === 0 ? `2024-03-0${1 + (i % 9)}T10:11:12.${String(123456 + i).padStart(6, '0')}Z` : i % 3 === 1 ? '2023-12-31T23:59:59Z' : '';
      // Names and cities repeat, so values and keys first seen in one half come back in the other.
      crm.push(`c${i},Ann${i % 17},Lee${i % 23},person${i}@example.org,${i % 4 === 0 ? '' : ['Zürich', 'Genève', 'Köln'][i % 3]},${i % 5 === 0 ? '' : 'ZH'},${updated}`);
      if (i % 2 === 0) shop.push(`s${i},Ann${i % 17},Lee${i % 29},${i % 10 === 0 ? '' : `person${i}@example.org`},Zürich,${i % 8 === 0 ? 'GE' : ''},2024-0${1 + (i % 9)}-15T08:00:00.5Z`);
    }
    crm.push('c-odd2,Cy,Odd\u001fTwo,cy@example.org,Basel,BS,');
    shop.push('s-new,Zoë,Ünique,zoe@example.org,Lugano,TI,2024-05-05T05:05:05Z');
    writeFileSync(join(dir, 'crm.csv'), `${crm.join('\n')}\n`);
    writeFileSync(join(dir, 'shop.csv'), `${shop.join('\n')}\n`);
    writeFileSync(join(dir, 'settings.yaml'), crmShopSettingsYaml('halves', '[[email], [lastName:metaphone, city], [firstName:metaphone]]', { state: 'aggregate' }));
    const env = cliEnv({ DATABASE_URL: db.url, REDIS_URL, GOLDRUN_QUEUE_PREFIX: redis.prefix });
    const runId = (await migrateAndRun(join(dir, 'settings.yaml'), env)).runId as string;
    database = await openDatabase({ url: db.url, max: 4 });
    settings = await runSettings(database, runId);
    survived = survivorshipPolicy(settings).attributes;
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    await redis?.cleanup();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A load as plain arrays and strings, numbering and all. */
  const plain = (l: LoadedRecords) => ({
    ids: [...l.ids],
    size: l.columns.size,
    source: [...l.columns.source],
    sources: l.columns.sources,
    columns: Object.fromEntries(Object.entries(l.columns.columns).map(([a, c]) => [a, { ids: [...c.ids], codes: [...c.codes], offsets: [...c.offsets], counts: [...c.counts], maxLength: c.maxLength }])),
    keys: l.keys.map((k) => ({ ids: [...k.ids], sizes: [...k.sizes], names: Array.from(k.sizes, (_, id) => k.name(id)) })),
    members: l.members && {
      sourceIds: { ids: [...l.members.sourceIds.ids], codes: [...l.members.sourceIds.codes], offsets: [...l.members.sourceIds.offsets] },
      updatedMs: [...l.members.updatedMs],
      extra: Object.fromEntries(Object.entries(l.members.extra).map(([a, c]) => [a, { ids: [...c.ids], codes: [...c.codes], offsets: [...c.offsets], counts: [...c.counts] }])),
    },
  });

  it('splits at the middle of the records\' ids, and not below the size asked for', async () => {
    const [span] = await database.sql<Array<{ lo: number; hi: number; n: number }>>`
      select min(id) as lo, max(id) as hi, count(*)::int as n from source_records where deployment = 'halves' and record_class = 'customer' and deleted_at is null`;
    const { lo, hi, n } = span!;
    expect(n).toBeGreaterThan(300);
    expect(await splitPoint(database.sql, settings, 2)).toBe(Math.floor((lo + hi) / 2));
    expect(await splitPoint(database.sql, settings, hi - lo + 1)).toBe(Math.floor((lo + hi) / 2));
    expect(await splitPoint(database.sql, settings, hi - lo + 2)).toBeNull();
  });

  it('joins halves into exactly the load of every record in one pass', async () => {
    const whole = plain(await loadMatchRecords(database.sql, settings, 40, survived));
    const splitAt = (await splitPoint(database.sql, settings, 2))!;
    const later = loadMatchRecordsPortable(database.sql, settings, 40, survived, { after: splitAt, upTo: null });
    const halves = plain(await loadMatchRecordsInHalves(database.sql, settings, splitAt, later, 40, survived));
    expect(halves).toEqual(whole);
    // Each half holds over a hundred records (ColumnsBuilder.addColumns' own test covers sources numbered apart).
    const at = whole.ids.findIndex((id) => id > splitAt);
    expect(at).toBeGreaterThan(100);
    expect(whole.ids.length - at).toBeGreaterThan(100);
    expect(whole.members!.extra.state).toBeDefined();
    // The later half holds keys the first half numbered and keys of its own.
    const firstKeys = new Set(whole.keys[1]!.ids.slice(0, at));
    const laterKeys = whole.keys[1]!.ids.slice(at);
    expect(laterKeys.some((k) => k >= 0 && firstKeys.has(k))).toBe(true);
    expect(laterKeys.some((k) => !firstKeys.has(k))).toBe(true);
  });

  it('reads the later half on a thread with its own connection, with the same result', async () => {
    const whole = plain(await loadMatchRecords(database.sql, settings, 40, survived));
    expect(plain(await loadWholeRun(database, settings, { batchSize: 40, survived, splitFrom: 2 }))).toEqual(whole);
    // Without members, as a run that survives nothing extra loads it.
    expect(plain(await loadWholeRun(database, settings, { batchSize: 40, splitFrom: 2 }))).toEqual(plain(await loadMatchRecords(database.sql, settings, 40)));
  });

  it('fails with the thread\'s own error when the later half cannot be read', async () => {
    const broken = { sql: database.sql, url: db.url.replace(/\/[^/]+$/, '/goldrun_no_such_database'), bulkCopy: true };
    await expect(loadWholeRun(broken, settings, { survived, splitFrom: 2 })).rejects.toThrow(/goldrun_no_such_database/);
  });
});
