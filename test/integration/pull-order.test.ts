import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followRun } from '../../src/cli/follow-run.js';
import { loadSettings } from '../../src/config/load-settings.js';
import type { Settings } from '../../src/config/settings-schema.js';
import { writeDataset } from '../../src/generate/dataset.js';
import { enqueueRun } from '../../src/queue/enqueue-run.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { createTestDatabase, redisPrefix, requireServices, type TestDatabase } from '../helpers/services.js';

/**
 * A first load's record ids follow how its pulls' batches interleave, which no run controls,
 * and a pull retried after a failure lays its rows down again after the other sources'. The
 * model, the clusters and the golden records must come out the same whatever the ids.
 */
describe('a first load whose pulls interleave another way, one of them retried', () => {
  const dbs: TestDatabase[] = [];
  const prefixes: Array<ReturnType<typeof redisPrefix>> = [];
  const pipelines: TestPipeline[] = [];
  let dir = '';
  let settings: Settings;

  async function load(failpoints?: string) {
    const db = await createTestDatabase();
    const prefix = redisPrefix();
    dbs.push(db);
    prefixes.push(prefix);
    const p = await startTestPipeline({ databaseUrl: db.url, queue: { kind: 'redis', prefix: prefix.prefix }, failpoints });
    pipelines.push(p);
    const runId = await enqueueRun(p.queues, p.database, settings);
    const summary = await followRun(p.database, runId, { timeoutMs: 120_000, pollMs: 100 });
    expect(summary.error).toBeNull();
    const { sql } = p.database;
    const ids = await sql<{ key: string; id: number }[]>`select source || '/' || source_id as key, id from source_records order by 1`;
    const [model] = await sql<{ params: unknown }[]>`select params from run_models where run_id = ${runId}`;
    const golden = await sql<{ members: string; attrs: unknown }[]>`
      select string_agg(x.source || '/' || x.source_id, ',' order by x.source, x.source_id) as members, g.attrs
      from golden_records g join xref x on x.golden_id = g.golden_id
      where g.status = 'active' group by g.golden_id, g.attrs order by members`;
    return { summary, ids, params: model!.params, golden };
  }

  beforeAll(async () => {
    await requireServices();
    dir = await mkdtemp(join(tmpdir(), 'goldrun-pull-order-'));
    await writeDataset({ records: 1500, systems: 3, out: dir, seed: 5 });
    const loaded = await loadSettings(join(dir, 'settings.yaml'));
    // Batches of 100 rows, so that the sources' batches interleave.
    settings = { ...loaded, run: { ...loaded.run, batchSize: 100, attempts: 3, backoffMs: 100 } };
  }, 60_000);

  afterAll(async () => {
    for (const p of pipelines) await p.close();
    for (const p of prefixes) await p.cleanup();
    for (const d of dbs) await d.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('trains the same model and writes the same golden records', async () => {
    const [first, second, third] = settings.sources.map((s) => s.name);
    const plain = await load();
    // The first source waits after its first batch while the others go on; the second fails
    // after its first batch and is pulled again.
    const disturbed = await load(`pull.${first}.batch@1~1500,pull.${second}.batch@1`);
    expect(disturbed.summary.stages.find((s) => s.stage === `pull:${second}`)).toMatchObject({ status: 'completed', attempts: 2 });
    expect(disturbed.summary.stages.find((s) => s.stage === `pull:${third}`)?.attempts).toBe(1);

    // The same records under other ids: the order the sample could have followed changed.
    expect(disturbed.ids.map((r) => r.key)).toEqual(plain.ids.map((r) => r.key));
    expect(plain.ids.length).toBeGreaterThan(1500);
    expect(disturbed.ids.map((r) => r.id)).not.toEqual(plain.ids.map((r) => r.id));

    expect(disturbed.params).toEqual(plain.params);
    expect(disturbed.golden).toEqual(plain.golden);
    expect(plain.golden.some((g) => g.members.includes(','))).toBe(true);
  }, 240_000);
});
