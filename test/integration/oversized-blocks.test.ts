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
import { cliEnv, migrateAndRun } from '../helpers/cli.js';
import pino from 'pino';
import type { PipelineContext } from '../../src/pipeline/context.js';
import { noFailpoints } from '../../src/pipeline/failpoints.js';
import { surviveRunClusters } from '../../src/pipeline/survive-clusters.js';
import { survivorshipPolicy } from '../../src/pipeline/survivorship-policy.js';
import { contentHash } from '../../src/pipeline/row-hash.js';
import { createThreadPool } from '../../src/score/thread-pool.js';
import { surviveCluster, type MemberRecord } from '../../src/survive/survive-cluster.js';
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
    const summary = await migrateAndRun(join(dir, 'settings.yaml'), env) as Record<string, any>;
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

  it('survives packed members as their stored attributes say, and a page holding a value with the packing separator as JSON', async () => {
    const database = await openDatabase({ url: db.url, max: 2 });
    const runner = createThreadPool(1);
    const ctx: PipelineContext = { database, log: pino({ level: 'silent' }), runner, secrets: () => undefined, failpoints: noFailpoints };
    try {
      const { sql } = database;
      const [run] = await sql<{ id: string }[]>`select id from runs order by created_at desc limit 1`;
      const runId = run!.id;
      const policy = survivorshipPolicy(await runSettings(database, runId));
      // The committed clusters staged again, keyed by their lowest record id.
      await sql`
        insert into run_clusters (run_id, record_id, cluster_key)
        select ${runId}, source_record_id, min(source_record_id) over (partition by golden_id) from xref where golden_id is not null`;
      const survived = async () => {
        await surviveRunClusters(ctx, runId, () => {});
        return sql<{ cluster_key: string; attrs: Attributes; member_count: number; content_hash: string }[]>`
          select cluster_key, attrs, member_count, content_hash from run_golden where run_id = ${runId} order by cluster_key`;
      };
      const expected = async () => {
        const members = await sql<{ cluster_key: string; id: string; source: string; source_id: string; attrs: Attributes }[]>`
          select c.cluster_key, r.id, r.source, r.source_id, r.attrs from run_clusters c join source_records r on r.id = c.record_id
          where c.run_id = ${runId} order by c.cluster_key, r.id`;
        const byCluster = new Map<string, MemberRecord[]>();
        for (const m of members) {
          const list = byCluster.get(m.cluster_key) ?? byCluster.set(m.cluster_key, []).get(m.cluster_key)!;
          list.push({ recordId: Number(m.id), source: m.source, sourceId: m.source_id, updatedAt: null, attrs: m.attrs });
        }
        return [...byCluster].map(([key, list]) => {
          const golden = surviveCluster(list, policy);
          return { cluster_key: key, attrs: golden.attrs, member_count: list.length, content_hash: contentHash({ attrs: golden.attrs, lineage: golden.lineage }) };
        });
      };
      // The load's test above left a surname holding the separator: without it, every page goes packed.
      await sql`update source_records set attrs = jsonb_set(attrs, '{lastName}', '"lee"') where strpos(attrs->>'lastName', ${'\u001f'}) > 0`;
      const packed = await survived();
      expect(packed).toHaveLength(1100);
      expect(packed).toEqual(await expected());
      // One of a pair gets a surname holding the separator, and the other none: read packed, every value after it would shift.
      await sql`update source_records set attrs = jsonb_set(attrs, '{lastName}', to_jsonb(${'lee\u001fseven'}::text)) where source_id = '7'`;
      await sql`update source_records set attrs = attrs - 'lastName' where source_id = 'd7'`;
      const asJson = await survived();
      expect(asJson).toEqual(await expected());
      expect(asJson.filter((g) => g.attrs.lastName === 'lee\u001fseven')).toHaveLength(1);
    } finally {
      await runner.destroy();
      await database.close();
    }
  });
});
