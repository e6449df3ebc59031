import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
