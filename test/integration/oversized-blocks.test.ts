import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import type { Attributes } from '../../src/model/attributes.js';
import { columnValues } from '../../src/model/columns.js';
import { loadMatchRecords } from '../../src/pipeline/load-records.js';
import { runSettings } from '../../src/pipeline/runs.js';
import { buildMatchPlan, matchAttributes, matchPlanOf } from '../../src/score/engine.js';
import { cliEnv, lastJsonLine, runCli } from '../helpers/cli.js';
import { createTestDatabase, REDIS_URL, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

/**
 * A company switchboard number on 1,100 records would make a block of 604,450 pairs: the run
 * must skip it, say so, and still match the records that agree on something else.
 */
describe('an oversized block', () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldrun-oversized-'));
  let db: TestDatabase;
  let redis: ReturnType<typeof redisPrefix>;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    redis = redisPrefix();
    const rows = ['id,first,last,email,phone'];
    for (let i = 0; i < 1100; i++) rows.push(`${i},Ann${i},Lee${i},person${i}@example.org,+1 800 555 0100`);
    // 40 people entered twice, each copy with its own direct line and the same email.
    for (let i = 0; i < 40; i++) rows.push(`d${i},Ann${i},Lee${i},person${i}@example.org,+1 415 555 ${String(1000 + i)}`);
    writeFileSync(join(dir, 'contacts.csv'), `${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'settings.yaml'), [
      'name: switchboard',
      'linkType: dedupe_only',
      'sources:',
      '  - { name: contacts, kind: csv, path: contacts.csv, id: id, fields: { firstName: first, lastName: last, email: email, phone: phone } }',
      'blocking:',
      '  rules: [[phone], [email]]',
      '  maxBlockSize: 1000',
      'comparisons:',
      '  - { attribute: firstName, method: jaroWinkler }',
      '  - { attribute: lastName, method: jaroWinkler }',
      '  - { attribute: email, method: exact }',
      '  - { attribute: phone, method: exact }',
      'model: { prior: 0.5 }',
      '',
    ].join('\n'));
  });

  afterAll(async () => {
    await redis?.cleanup();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('skips and reports the block, and still links the records that share an email', async () => {
    const env = cliEnv({ DATABASE_URL: db.url, REDIS_URL, GOLDRUN_QUEUE_PREFIX: redis.prefix });
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const result = await runCli(['run', '--config', join(dir, 'settings.yaml'), '--json', '--worker'], env);
    expect(result.code, result.stderr).toBe(0);
    const summary = lastJsonLine(result.stdout) as Record<string, any>;
    expect(summary.status).toBe('completed');
    expect(summary.oversizedBlocks).toEqual([{ rule: 'phone', key: '+18005550100', records: 1100 }]);
    expect(summary.candidatePairs).toBe(40);
    expect(summary.matchedPairs).toBe(40);
    expect(summary.goldenRecords.total).toBe(1100);
    // The blocks each rule proposed, as the score stage planned them: the switchboard's counts nowhere.
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const [score] = await sql<{ metrics: Record<string, unknown> }[]>`select metrics from run_stages where run_id = ${summary.runId} and stage = 'score'`;
      expect(score!.metrics.rules).toEqual([{ rule: 'phone', blocks: 0, rawPairs: 0, largest: 0 }, { rule: 'email', blocks: 40, rawPairs: 40, largest: 2 }]);
      expect(score!.metrics.rawPairs).toBe(40);
    } finally {
      await sql.end();
    }
  });

  it('loads the run\'s records into the plan that their stored attributes and keys make, a value holding the packing separator too', async () => {
    const database = await openDatabase({ url: db.url, max: 1 });
    try {
      const [run] = await database.sql<{ id: string }[]>`select id from runs order by created_at desc limit 1`;
      const settings = await runSettings(database, run!.id);
      // Mid-batch: a value holding the separator the load packs values with, and a missing one after it.
      await database.sql`
        update source_records set attrs = jsonb_set(attrs, '{lastName}', to_jsonb(${'lee\u001fodd'}::text))
        where id = (select id from source_records order by id offset 450 limit 1)`;
      await database.sql`
        update source_records set attrs = attrs - 'firstName' where id = (select id from source_records order by id offset 460 limit 1)`;
      const loaded = await loadMatchRecords(database.sql, settings, 300);
      const rows = await database.sql<{ id: string; source: string; attrs: Attributes; block_keys: string[] }[]>`
        select id, source, attrs, block_keys from source_records where record_class = 'customer' and deleted_at is null order by id`;
      const keys = settings.blocking.rules.map(() => rows.map((): string | null => null));
      rows.forEach((r, i) => r.block_keys.forEach((k) => (keys[Number(k.slice(0, k.indexOf(':')))]![i] = k.slice(k.indexOf(':') + 1))));
      const expected = buildMatchPlan(rows.map((r) => ({ source: r.source, attrs: r.attrs })), settings, keys);
      const actual = matchPlanOf(loaded.columns, loaded.keys, settings);
      expect(Array.from(loaded.ids)).toEqual(rows.map((r) => Number(r.id)));
      expect(actual.blocks.ruleKeys).toEqual(expected.blocks.ruleKeys);
      expect(actual.blocks.oversized).toEqual([{ rule: 0, key: '+18005550100', records: 1100 }]);
      expect(actual.blocks.rules).toEqual(expected.blocks.rules);
      for (const attribute of matchAttributes(settings)) {
        expect(Array.from(actual.data.columns[attribute]!.ids)).toEqual(Array.from(expected.data.columns[attribute]!.ids));
        expect(columnValues(actual.data.columns[attribute]!)).toEqual(columnValues(expected.data.columns[attribute]!));
      }
    } finally {
      await database.close();
    }
  });
});
