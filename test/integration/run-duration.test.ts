import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, migrateAndRun } from '../helpers/cli.js';
import { createTestDatabase, REDIS_URL, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

/**
 * The duration `goldrun run` reports runs to the end of the commit. runs.finished_at is the
 * commit transaction's start (an incremental run counts records changed after it), and the
 * duration was taken to it: a 75 s run reported itself as 60 s.
 */
describe('a run\'s reported duration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldrun-run-duration-'));
  let db: TestDatabase;
  let redis: ReturnType<typeof redisPrefix>;

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    redis = redisPrefix();
    const rows = ['id,first,last,email'];
    for (let i = 0; i < 40; i++) rows.push(`c${i},Ann${i % 30},Lee${i % 30},person${i % 30}@example.org`);
    writeFileSync(join(dir, 'crm.csv'), `${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'settings.yaml'), [
      'name: duration',
      'sources:',
      '  - { name: crm, kind: csv, path: crm.csv, id: id, fields: { firstName: first, lastName: last, email: email } }',
      'blocking:',
      '  rules: [[email]]',
      'comparisons:',
      '  - { attribute: firstName, method: jaroWinkler }',
      '  - { attribute: lastName, method: jaroWinkler }',
      '  - { attribute: email, method: exact }',
      'model: { prior: 0.5 }',
      '',
    ].join('\n'));
  });

  afterAll(async () => {
    await redis?.cleanup();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('covers every stage, the commit included', async () => {
    // The commit holds its transaction open for two seconds after writing the golden records.
    const env = cliEnv({ DATABASE_URL: db.url, REDIS_URL, GOLDRUN_QUEUE_PREFIX: redis.prefix, GOLDRUN_FAILPOINTS: 'commit.golden@1~2000' });
    const summary = await migrateAndRun(join(dir, 'settings.yaml'), env) as { status: string; durationMs: number; stages: Record<string, number | null> };
    expect(summary.status).toBe('completed');
    const ms = (stage: string) => summary.stages[stage] ?? 0;
    expect(ms('commit')).toBeGreaterThanOrEqual(2000);
    // The stages after the pulls run one after another: the run lasts at least as long as they
    // do, plus its pull. (Score's own time leaves out its parts', so it is not counted.)
    const sequential = ['standardize', 'block', 'train', 'cluster', 'survive', 'commit'].reduce((sum, stage) => sum + ms(stage), 0);
    expect(summary.durationMs).toBeGreaterThanOrEqual(ms('pull:crm') + sequential);
  }, 60_000);
});
